using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>A strategy exported to C as <c>exported_heap_create(size_t, bool)</c> / <c>exported_heap_destroy</c>.</summary>
[MemoryStrategy(TrackAllocations = true, MaxAllocationSize = 1024, NativeExport = "exported_heap")]
public sealed unsafe partial class ExportedHeap
{
    public ExportedHeap(nuint failAtOrAbove, bool throwInConstructor)
    {
        if (throwInConstructor)
        {
            throw new InvalidOperationException("asked to throw");
        }

        FailAtOrAbove = failAtOrAbove;
    }

    public nuint FailAtOrAbove { get; }

    [Allocate]
    private void* AllocateCore(nuint size) => size >= FailAtOrAbove ? null : NativeMemory.Alloc(size);

    [Deallocate]
    private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
}
