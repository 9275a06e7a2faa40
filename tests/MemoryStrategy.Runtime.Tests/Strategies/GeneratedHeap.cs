using System.Runtime.InteropServices;

namespace MemoryStrategy.Runtime.Tests.Strategies;

/// <summary>
/// A generated strategy over the C heap, with the generated live-pointer registry (so a double or foreign free is
/// refused) and an optional cap on live blocks (so exhaustion can be provoked). Counts what reaches its core.
/// </summary>
[MemoryStrategy(TrackAllocations = true, MaxAllocationSize = 1 << 20)]
internal sealed unsafe partial class GeneratedHeap
{
    private long _blocksLeft;
    private long _coreAllocations;
    private long _coreFrees;

    public GeneratedHeap(long liveBlockLimit = long.MaxValue) => _blocksLeft = liveBlockLimit;

    /// <summary>Blocks the core handed out: every one passed through the generated wrappers.</summary>
    public long CoreAllocations => Interlocked.Read(ref _coreAllocations);

    /// <summary>Blocks the core took back.</summary>
    public long CoreFrees => Interlocked.Read(ref _coreFrees);

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        if (Interlocked.Decrement(ref _blocksLeft) < 0)
        {
            Interlocked.Increment(ref _blocksLeft);
            return null;
        }

        Interlocked.Increment(ref _coreAllocations);
        return NativeMemory.Alloc(size);
    }

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        NativeMemory.Free(ptr);
        Interlocked.Increment(ref _coreFrees);
        Interlocked.Increment(ref _blocksLeft);
    }
}
