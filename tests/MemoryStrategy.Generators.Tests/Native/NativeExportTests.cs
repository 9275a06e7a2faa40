using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Native;

/// <summary>
/// <c>NativeExport</c>'s create/destroy exports and the runtime's exported C validators, called through function
/// pointers exactly as C calls them (the NativeAOT build of the same code is tested in MemoryStrategy.Native.Tests).
/// </summary>
[Collection(NativeCollection.Name)]
public sealed unsafe class NativeExportTests
{
    private static readonly delegate* unmanaged[Cdecl]<nuint, byte, NativeMemoryStrategy*> Create =
        (delegate* unmanaged[Cdecl]<nuint, byte, NativeMemoryStrategy*>)Export("__MemoryStrategy_NativeCreate");

    private static readonly delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void> Destroy =
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void>)Export("__MemoryStrategy_NativeDestroy");

    [Fact]
    public void Create_returns_a_working_vtable_and_destroy_disposes_the_strategy()
    {
        int published = NativeExports.Count;
        NativeMemoryStrategy* strategy = Create(512, 0);
        Assert.True(strategy != null);
        Assert.Equal(published + 1, NativeExports.Count);
        Assert.True(NativeStrategyHandle.TryGetManagedStrategy(strategy, out IMemoryStrategy? managed));
        var heap = Assert.IsType<ExportedHeap>(managed);
        Assert.Equal((nuint)512, heap.FailAtOrAbove);

        Assert.Equal(1, strategy->Validate(strategy));
        void* block = strategy->Allocate(strategy, 100);
        Assert.True(block != null);
        Assert.True(strategy->Allocate(strategy, 600) == null); // the core's own limit: a failure, Degraded
        Assert.Equal((int)StrategyStatus.Degraded, strategy->GetStatus(strategy));
        strategy->Deallocate(strategy, block);

        Destroy(strategy);
        Assert.Equal(published, NativeExports.Count);
        Assert.Equal(StrategyStatus.Disposed, heap.GetStatus());
        Assert.Equal(1, heap.StatusTracker.GetStatistics().Deallocations);
    }

    [Fact]
    public void A_constructor_that_throws_is_a_NULL_return_and_destroy_ignores_what_it_did_not_create()
    {
        int published = NativeExports.Count;
        Assert.True(Create(512, 1) == null);
        Assert.Equal(published, NativeExports.Count);

        Destroy(null);
        var foreign = default(NativeMemoryStrategy);
        Destroy(&foreign);
        NativeMemoryStrategy* strategy = Create(512, 0);
        Destroy(strategy);
        Destroy(strategy); // a second destroy of the same pointer
        Assert.Equal(published, NativeExports.Count);
    }

    [Fact]
    public void The_generated_C_declarations_match_the_exports()
    {
        string declarations = (string)typeof(ExportedHeap)
            .GetField("__MemoryStrategy_NativeDeclarations", BindingFlags.NonPublic | BindingFlags.Static)!
            .GetRawConstantValue()!;

        Assert.Equal(
            "MemoryStrategy* exported_heap_create(size_t failAtOrAbove, bool throwInConstructor);\n" +
            "void exported_heap_destroy(MemoryStrategy* strategy);\n",
            declarations);
    }

    [Fact]
    public void Validators_apply_the_managed_strategys_limit_and_ownership()
    {
        NativeMemoryStrategy* strategy = Create(4096, 0);
        try
        {
            void* block = strategy->Allocate(strategy, 64);
            int onStack = 0;

            Assert.True(NativeValidators.ValidateStrategy(strategy));
            Assert.True(NativeValidators.ValidateAllocation(strategy, 1024));
            Assert.False(NativeValidators.ValidateAllocation(strategy, 1025)); // MaxAllocationSize = 1024
            Assert.False(NativeValidators.ValidateAllocation(strategy, 0));
            Assert.False(NativeValidators.ValidateAllocation(strategy, nuint.MaxValue));
            Assert.True(NativeValidators.ValidateDeallocation(strategy, block));
            Assert.False(NativeValidators.ValidateDeallocation(strategy, &onStack));
            Assert.False(NativeValidators.ValidateDeallocation(strategy, null));
            strategy->Deallocate(strategy, block);
            Assert.False(NativeValidators.ValidateDeallocation(strategy, block)); // already freed
        }
        finally
        {
            Destroy(strategy);
        }

        Assert.False(NativeValidators.ValidateStrategy(null));
        Assert.False(NativeValidators.ValidateAllocation(null, 16));
    }

    [Fact]
    public void Validators_check_a_struct_written_in_C_through_its_own_functions()
    {
        int status = (int)StrategyStatus.Ready;
        byte valid = 1;
        s_foreignStatus = &status;
        s_foreignValid = &valid;
        var foreign = new NativeMemoryStrategy
        {
            Allocate = &ForeignAllocate,
            Deallocate = &ForeignDeallocate,
            GetStatus = &ForeignGetStatus,
            Validate = &ForeignValidate,
            StrategyData = null,
            StatusTracker = &status,
        };
        int onStack = 0;

        Assert.True(NativeValidators.ValidateStrategy(&foreign));
        Assert.True(NativeValidators.ValidateAllocation(&foreign, 1 << 40)); // no limit known: up to PTRDIFF_MAX
        Assert.False(NativeValidators.ValidateAllocation(&foreign, (nuint)nint.MaxValue + 1));
        Assert.False(NativeValidators.ValidateAllocation(&foreign, 0));
        Assert.True(NativeValidators.ValidateDeallocation(&foreign, &onStack)); // ownership unknowable: non-NULL only
        Assert.False(NativeValidators.ValidateDeallocation(&foreign, null));

        valid = 0;
        Assert.False(NativeValidators.ValidateStrategy(&foreign));
        valid = 1;
        foreach (int bad in new[] { (int)StrategyStatus.Faulted, (int)StrategyStatus.Disposed, 17, -1 })
        {
            status = bad;
            Assert.False(NativeValidators.ValidateStrategy(&foreign));
        }

        status = (int)StrategyStatus.Ready;
        NativeMemoryStrategy missing = foreign;
        missing.Validate = null;
        Assert.False(NativeValidators.ValidateStrategy(&missing));
        missing = foreign;
        missing.StatusTracker = null;
        Assert.False(NativeValidators.ValidateStrategy(&missing));
    }

    private static int* s_foreignStatus;
    private static byte* s_foreignValid;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void* ForeignAllocate(NativeMemoryStrategy* self, nuint size) => null;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ForeignDeallocate(NativeMemoryStrategy* self, void* ptr)
    {
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ForeignGetStatus(NativeMemoryStrategy* self) => *s_foreignStatus;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte ForeignValidate(NativeMemoryStrategy* self) => *s_foreignValid;

    private static void* Export(string name) =>
        (void*)typeof(ExportedHeap).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MethodHandle.GetFunctionPointer();
}
