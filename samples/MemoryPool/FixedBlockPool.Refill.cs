using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

// The slow paths: a thread's cache is empty (refill it) or full (flush a batch of it).
internal sealed unsafe partial class FixedBlockPool
{
    /// <summary>
    /// The most searches (own cache, shared stack, fresh blocks, every other cache) an allocation makes while blocks keep
    /// moving under it before it reports exhaustion anyway: a bound for churn that never settles. A search during which
    /// nothing moved ends the allocation at once, so an exhausted pool answers after one. Large, because a mover the
    /// scheduler preempted holds its blocks out of sight until it runs again: between searches the caller spins, then
    /// yields, then sleeps a millisecond from the twentieth on (SpinWait), so the bound is about a second of waiting. A
    /// systematic test (Coyote) that paused a thief for a hundred searches of another thread found a bound of 100 too low;
    /// and yielding without the timed sleeps did not always let a preempted mover run (eight C threads on two cores,
    /// `native/full_capacity_calls.c`'s workload: refusals in one run of thirty, none in thirty with the sleeps).
    /// </summary>
    private const int MaxSearches = 1_000;

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

        // Parked for the whole search: it waits for thieves and victims' owners, who must not wait for this call.
        int parked = cache.Park();
        void* block = Search(cache);
        cache.Unpark(parked);
        return block;
    }

    /// <summary>The searches of <see cref="AllocateSlow"/>, parked: a block, or null once the pool is exhausted.</summary>
    private void* Search(PoolThread cache)
    {
        // Not abandoned on Thread.Interrupt: an exception out of here would leave the call parked and its mark raised
        // (this pool's wrapper has no handler), so a later Dispose would wait for the thread to exit. The interrupt is
        // raised again on the thread when the search ends, for its next wait outside the pool.
        using var spin = new UninterruptibleSpinWait();
        for (int search = 1; ; search++)
        {
            // Read before looking anywhere: a move that overlaps this search, begun or ended, changes the word.
            long movesBefore = Volatile.Read(ref _moves.Value);
            cache.EnterParked();
            if (cache.Count != 0 || TakeSharedBatch(cache) || TakeFreshBlocks(cache))
            {
                int index = cache.Pop();
                cache.ExitParked();
                return _fast.HandOut(index);
            }

            // Leave our own cache before stealing: a thread never waits for another while it holds its own cache,
            // so two threads stealing from each other cannot deadlock.
            cache.ExitParked();
            int stolen = StealFromOtherCaches(cache, out bool contended);
            if (stolen >= 0)
            {
                return _fast.HandOut(stolen);
            }

            // Nothing anywhere we looked. That is exhaustion only if no block could have been out of our sight: none
            // was moving between tiers during the search (a batch leaving a cache for the shared stack after we read
            // the stack, or taken from the stack before we read that cache, looks like no block at all), and no other
            // thief held a cache that had blocks (it skipped, and they are on their way into the thief's cache). The
            // acquire read pairs with BeginMove's full fence: a search that saw the effect of a move (a cache emptied,
            // the stack popped) sees the move begun, or its end.
            if (!contended && Volatile.Read(ref _moves.Value) == movesBefore && (int)movesBefore == 0)
            {
                return null;
            }

            if (search == MaxSearches)
            {
                return null;
            }

            // The mover is a few dozen instructions from done, unless it was preempted: SpinWait yields, and sleeps
            // now and then, so that it can finish.
            spin.SpinOnce();
        }
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

        // Parked while it waits out a thief (see PoolThread's remarks).
        int parked = cache.Park();
        cache.EnterParked();
        if (cache.Count == cache.Capacity)
        {
            FlushBatch(cache);
        }

        cache.Push(index);
        cache.ExitParked();
        cache.Unpark(parked);
    }

    /// <summary>
    /// Moves a batch from the shared stack into <paramref name="cache"/> (empty, held by the caller): a move, ended once
    /// the blocks are in the cache (a thief that finds the cache held waits for its owner, as for a flush); false when
    /// the stack is empty.
    /// </summary>
    private bool TakeSharedBatch(PoolThread cache)
    {
        // An empty stack begins no move: an exhausted pool's searches then see each other's searching as no movement.
        if (_shared.IsEmpty)
        {
            return false;
        }

        BeginMove();
        int block = _shared.TryPop();
        if (block < 0)
        {
            EndMove();
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

        EndMove();
        return true;
    }

    /// <summary>
    /// Moves a batch of never-used blocks into <paramref name="cache"/> (empty, held by the caller): a move, ended once
    /// the blocks are in the cache (see <see cref="TakeSharedBatch"/>); false when none is left.
    /// </summary>
    private bool TakeFreshBlocks(PoolThread cache)
    {
        long first = Volatile.Read(ref _fresh.Value);
        if (first >= _blockCount)
        {
            return false;
        }

        BeginMove();
        int take;
        while (true)
        {
            if (first >= _blockCount)
            {
                EndMove();
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

        EndMove();
        return true;
    }

    /// <summary>Moves the batch-size oldest entries of a full cache to the shared stack, keeping the most recently freed (warm) blocks.</summary>
    private void FlushBatch(PoolThread cache)
    {
        // A move: a search that read the shared stack before the push and reads this cache after the count drops
        // would see the batch in neither.
        BeginMove();
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
        EndMove();
    }

    /// <summary>
    /// A move of blocks between tiers begins: called before the first step that takes them out of where a search looks
    /// (the stack's pop, the fresh counter's CAS, the flush's push, a steal's first pop). A full fence: a thread that
    /// sees that step's effect and then reads <see cref="_moves"/> sees this increment, or the move's end.
    /// </summary>
    private void BeginMove() => Interlocked.Increment(ref _moves.Value);

    /// <summary>
    /// The move has ended: its blocks are where a search looks again (a cache the mover left, the shared stack). Adds
    /// one to the ended count and takes one from the count in progress, in one atomic add (a full fence, after the
    /// blocks' last write).
    /// </summary>
    private void EndMove() => Interlocked.Add(ref _moves.Value, (1L << 32) - 1);
}
