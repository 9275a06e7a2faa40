using System.Runtime.CompilerServices;

using MemoryStrategy.Samples;

// A frozen copy of the reference pool before blocks could be taken from other threads' caches and before the
// in-call guard: the point of comparison for the fast-path figures in docs/benchmarks.md (same process, same run).
namespace MemoryStrategy.Benchmarks.Previous;

// The slow paths: a thread's cache is empty (refill it) or full (flush a batch of it).
internal sealed unsafe partial class PreviousFixedBlockPool
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void* AllocateSlow(StrategyThread thread)
    {
        if (IsDisposed)
        {
            return null;
        }

        PreviousThreadCache cache = CacheOfCurrentThread(thread);
        if (cache.Count == 0 && !Refill(cache))
        {
            return null;
        }

        return HandOut(cache.Pop());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FreeSlow(int index, StrategyThread thread)
    {
        PreviousThreadCache cache = CacheOfCurrentThread(thread);
        if (cache.Count == cache.Capacity)
        {
            FlushBatch(cache);
        }

        cache.Push(index);
    }

    /// <summary>Fills an empty cache: a batch from the shared stack, else never-used blocks, else the caches of exited threads.</summary>
    private bool Refill(PreviousThreadCache cache) =>
        TakeSharedBatch(cache) || TakeFreshBlocks(cache) || ReclaimOrphanedCaches(cache);

    private bool TakeSharedBatch(PreviousThreadCache cache)
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

    private bool TakeFreshBlocks(PreviousThreadCache cache)
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
    private void FlushBatch(PreviousThreadCache cache)
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
