using System.Runtime.InteropServices;

namespace MemoryStrategy.Reliability.Tests.Strategies;

/// <summary>
/// A generated pass-through to the C heap with <c>TrackAllocations = true</c> and no <c>[Owns]</c>: the generated
/// live-pointer registry alone decides which frees reach the core. Counts the blocks its core holds out.
/// </summary>
[MemoryStrategy(TrackAllocations = true, MaxAllocationSize = MaxSize)]
internal sealed unsafe partial class TrackedHeap
{
    public const int MaxSize = 4096;

    private long _outstanding;

    /// <summary>Blocks the core handed out and has not had back.</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        void* block = NativeMemory.Alloc(size);
        if (block != null)
        {
            Interlocked.Increment(ref _outstanding);
        }

        return block;
    }

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        Interlocked.Decrement(ref _outstanding);
        NativeMemory.Free(ptr);
    }
}
