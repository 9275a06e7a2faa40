using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;
using MemoryStrategy.Testing;

namespace MemoryStrategy.Generators.Tests.Native;

// The structs the C validators are called on: a generated strategy's put in a given status, the limit published next
// to it, and a struct "written in C" whose functions are this class's.
public sealed unsafe partial class ValidatorsInCTests
{
    /// <summary>Puts the strategy in <paramref name="status"/>; returns a block it handed out, or null for Uninitialized.</summary>
    private static void* PutIn(TrackedPassThrough strategy, StrategyStatus status)
    {
        if (status == StrategyStatus.Uninitialized)
        {
            return null;
        }

        Assert.True(strategy.Validate());
        void* block = strategy.Allocate(16);
        Assert.True(block != null);
        switch (status)
        {
            case StrategyStatus.Degraded:
                Assert.True(strategy.StatusTracker.TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded));
                break;
            case StrategyStatus.Faulted:
                Assert.True(strategy.StatusTracker.TryFault());
                break;
            case StrategyStatus.Disposed:
                strategy.Dispose();
                break;
        }

        Assert.Equal(status, strategy.GetStatus());
        return block;
    }

    /// <summary>The slot's limit word (<c>NativeVtableSlots.Slot.Limit</c>) behind a struct of the runtime.</summary>
    private static nuint PublishedLimit(NativeMemoryStrategy* self) => Volatile.Read(ref ((NativeVtableSlots.Slot*)self)->Limit);

    private static void SetPublishedLimit(NativeMemoryStrategy* self, nuint limit) => Volatile.Write(ref ((NativeVtableSlots.Slot*)self)->Limit, limit);

    /// <summary>A struct "written in C": its functions are this class's, its status word its own.</summary>
    private static NativeMemoryStrategy* ForeignStruct()
    {
        // 64 bytes past a page start: a slot's offset, so only the page header tells it from a runtime slot.
        var page = (byte*)NativeMemory.AlignedAlloc(4096, 4096);
        NativeMemory.Clear(page, 4096);
        var self = (NativeMemoryStrategy*)(page + 64);
        self->Allocate = &ForeignAllocate;
        self->Deallocate = &ForeignDeallocate;
        self->GetStatus = &ForeignGetStatus;
        self->Validate = &ForeignValidate;
        self->StatusTracker = page + 128;
        return self;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void* ForeignAllocate(NativeMemoryStrategy* self, nuint size) => null;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ForeignDeallocate(NativeMemoryStrategy* self, void* ptr)
    {
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ForeignGetStatus(NativeMemoryStrategy* self)
    {
        Interlocked.Increment(ref s_foreignCalls);
        return Volatile.Read(ref s_foreignStatus);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte ForeignValidate(NativeMemoryStrategy* self) => (byte)Volatile.Read(ref s_foreignValid);
}
