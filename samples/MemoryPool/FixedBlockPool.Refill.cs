using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

// The slow paths: a thread's cache is empty (refill it) or full (flush a batch of it).
internal sealed unsafe partial class FixedBlockPool
{
    /// <summary>How many times an allocation looks through the shared stack, the fresh blocks and every cache before it reports exhaustion.</summary>
    private const int RefillRounds = 3;

    /// <summary>
    /// An allocation the calling thread's cache could not serve (<see cref="PoolFastPath.TryAllocate"/> returned
    /// false): refills the cache, or steals, or returns <see langword="null"/> when the pool is exhausted or disposed.
    /// </summary>
    /// <param name="thread">The calling thread's <see cref="StrategyThread"/> of this pool's tracker.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void* AllocateSlow(StrategyThread thread)
    {
        if (IsDisposed)
        {
            return null;
        }

        PoolThread cache = CacheOfCurrentThread(thread);

        // A few rounds, because blocks move while we look: a cache we found empty may flush a batch to the shared
        // stack after we found that empty. Each round ends in a steal, which waits for nothing but a running call.
        for (int round = 0; round < RefillRounds; round++)
        {
            cache.Enter();
            if (cache.Count != 0 || TakeSharedBatch(cache) || TakeFreshBlocks(cache))
            {
                int index = cache.Pop();
                cache.Exit();
                return _fast.HandOut(index);
            }

            // Leave our own cache before stealing: a thread never waits for another while it holds its own cache,
            // so two threads stealing from each other cannot deadlock.
            cache.Exit();
            int stolen = StealFromOtherCaches(cache);
            if (stolen >= 0)
            {
                return _fast.HandOut(stolen);
            }
        }

        return null;
    }

    /// <summary>
    /// A free whose block <see cref="PoolFastPath.TryMarkFree"/> marked free and the calling thread's cache could not
    /// take (<see cref="PoolFastPath.TryCache"/> returned false): waits out a thief, flushes a batch when full, pushes.
    /// </summary>
    /// <param name="index">The block freed.</param>
    /// <param name="thread">The calling thread's <see cref="StrategyThread"/> of this pool's tracker.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void FreeSlow(int index, StrategyThread thread)
    {
        PoolThread cache = CacheOfCurrentThread(thread);
        cache.Enter();
        if (cache.Count == cache.Capacity)
        {
            FlushBatch(cache);
        }

        cache.Push(index);
        cache.Exit();
    }

    private bool TakeSharedBatch(PoolThread cache)
    {
        int block = _shared.TryPop();
        if (block < 0)
        {
            return false;
        }

        // The popped batch belongs to this thread alone, and its links are visible (see BatchStack.TryPop).
        // A batch never holds more than the batch size, and the cache is empty, so it fits.
        do
        {
            cache.Push(block);
            block = _links[block].Next;
        }
        while (block >= 0);

        return true;
    }

    private bool TakeFreshBlocks(PoolThread cache)
    {
        long first = Volatile.Read(ref _fresh.Value);
        int take;
        while (true)
        {
            if (first >= _blockCount)
            {
                return false;
            }

            take = (int)Math.Min(_batchSize, _blockCount - first);

            // A CAS rather than an add: the counter must never pass the block count, or a pool kept exhausted
            // would overflow it. Winning the CAS makes blocks first..first+take-1 this thread's alone; they have
            // never been handed out, so their state (zeroed at construction) is Free and there is nothing else to
            // acquire.
            long seen = Interlocked.CompareExchange(ref _fresh.Value, first + take, first);
            if (seen == first)
            {
                break;
            }

            first = seen;
        }

        // Lowest index on top, so a fresh batch is handed out in address order.
        for (int i = take - 1; i >= 0; i--)
        {
            cache.Push((int)first + i);
        }

        return true;
    }

    /// <summary>Moves the batch-size oldest entries of a full cache to the shared stack, keeping the most recently freed (warm) blocks.</summary>
    private void FlushBatch(PoolThread cache)
    {
        int* items = cache.Items;
        int moved = Math.Min(_batchSize, cache.Count);
        for (int i = 0; i < moved - 1; i++)
        {
            _links[items[i]].Next = items[i + 1];
        }

        _links[items[moved - 1]].Next = -1;
        _shared.Push(items[0]);

        int kept = cache.Count - moved;
        new Span<int>(items + moved, kept).CopyTo(new Span<int>(items, kept));
        cache.Count = kept;
    }
}
