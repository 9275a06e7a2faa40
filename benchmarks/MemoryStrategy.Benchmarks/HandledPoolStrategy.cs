using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The reference pool as <c>samples/MemoryPool</c> declares it, but with the default
/// <c>FaultOnCoreException = true</c>: the generated fast paths keep their exception handler. Prices what the
/// sample saves by opting out (group 3).
/// </summary>
[MemoryStrategy(Name = "HandledPool", MaxAllocationSize = MemoryPoolStrategy.MaxBlockSize)]
public sealed unsafe partial class HandledPoolStrategy
{
    private readonly FixedBlockPool _pool;

    /// <summary>Creates a pool of <paramref name="blockCount"/> blocks of <paramref name="blockSize"/> bytes.</summary>
    /// <param name="blockSize">The size of each block.</param>
    /// <param name="blockCount">How many blocks the pool holds.</param>
    public HandledPoolStrategy(nuint blockSize, int blockCount)
    {
        _pool = new FixedBlockPool(StatusTracker, blockSize, blockCount);
        LimitMaxAllocationSize(blockSize);
    }

    [Allocate]
    private void* AllocateBlock(nuint size, StrategyThread thread) => _pool.Allocate(thread);

    [Deallocate]
    private bool FreeBlock(void* ptr, StrategyThread thread) => _pool.Free(ptr, thread);

    [Owns]
    private bool IsAllocatedBlock(void* ptr) => _pool.Owns(ptr);

    [Cleanup]
    private void ReleaseSlab() => _pool.Dispose();
}
