using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// The C heap with <c>TrackAllocations = true</c> and a <c>[Cleanup]</c>, whose free core throws for one chosen block:
/// what the release of the live blocks at <c>Dispose</c> does with the blocks after a core that threw.
/// </summary>
[MemoryStrategy(TrackAllocations = true, MaxAllocationSize = 1 << 20)]
internal sealed unsafe partial class ThrowingReleaseHeap
{
    private long _coreFrees;
    private int _cleanups;

    /// <summary>The block whose free throws (and stays allocated).</summary>
    public nint ThrowingBlock { get; set; }

    public long CoreFrees => Interlocked.Read(ref _coreFrees);

    public int Cleanups => Volatile.Read(ref _cleanups);

    [Allocate]
    private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        if ((nint)ptr == ThrowingBlock)
        {
            throw new InvalidOperationException("The free core refuses this block.");
        }

        Interlocked.Increment(ref _coreFrees);
        NativeMemory.Free(ptr);
    }

    [Cleanup]
    private void Cleanup()
    {
        Interlocked.Increment(ref _cleanups);
        if (ThrowingBlock != 0)
        {
            // Freed here so the test leaks nothing: the core refused it.
            NativeMemory.Free((void*)ThrowingBlock);
        }
    }
}
