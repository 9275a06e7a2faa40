namespace MemoryStrategy.Samples.Tests;

/// <summary>The generated entry points for a strategy that holds another: what they skip, and what they still count.</summary>
public unsafe class NestedEntryPointTests
{
    [Fact]
    public void Without_statistics_only_exhaustion_and_refusals_are_counted()
    {
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 1);
        Assert.True(pool.Validate());
        StrategyThread thread = pool.StatusTracker.CurrentThread;

        void* block = pool.AllocateNested(thread, 64, recordStatistics: false);
        Assert.True(block is not null);
        Assert.True(pool.AllocateNested(thread, 64, recordStatistics: false) is null); // exhausted
        Assert.True(pool.DeallocateNested(thread, block, recordStatistics: false));
        Assert.False(pool.DeallocateNested(thread, block, recordStatistics: false));   // double free

        StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
        Assert.Equal((0L, 0L, 1L, 1L), (statistics.Allocations, statistics.Deallocations, statistics.FailedAllocations, statistics.RefusedDeallocations));
    }

    [Fact]
    public void With_statistics_they_count_as_the_public_entry_points_do()
    {
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 4);
        Assert.True(pool.Validate());
        StrategyThread thread = pool.StatusTracker.CurrentThread;

        void* block = pool.AllocateNested(thread, 40, recordStatistics: true);
        Assert.True(pool.Owns(block));
        Assert.True(pool.DeallocateNested(thread, block, recordStatistics: true));

        StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
        Assert.Equal((1L, 1L, 40L, 0L), (statistics.Allocations, statistics.Deallocations, statistics.BytesRequested, statistics.LiveAllocations));
    }

    [Fact]
    public void A_tracked_strategy_refuses_a_foreign_pointer_through_the_nested_free()
    {
        using var strategy = new NativePassThroughStrategy();
        Assert.True(strategy.Validate());
        StrategyThread thread = strategy.StatusTracker.CurrentThread;
        long onStack = 0;

        void* block = strategy.AllocateNested(thread, 100, recordStatistics: true);
        Assert.False(strategy.DeallocateNested(thread, &onStack, recordStatistics: true));
        Assert.True(strategy.DeallocateNested(thread, block, recordStatistics: true));
        Assert.False(strategy.DeallocateNested(thread, block, recordStatistics: true));

        Assert.Equal(2, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.Equal(0, strategy.StatusTracker.GetStatistics().LiveAllocations);
    }

    [Fact]
    public void A_faulted_strategy_refuses_nested_allocations_and_still_takes_its_blocks_back()
    {
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 4);
        Assert.True(pool.Validate());
        StrategyThread thread = pool.StatusTracker.CurrentThread;
        void* block = pool.AllocateNested(thread, 64, recordStatistics: false);
        Assert.True(block is not null);

        Assert.True(pool.StatusTracker.TryFault());
        Assert.True(pool.AllocateNested(thread, 64, recordStatistics: false) is null); // refused, as Allocate would
        Assert.True(pool.DeallocateNested(thread, block, recordStatistics: false));    // a faulted strategy takes blocks back

        StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
        Assert.Equal((1L, 0L), (statistics.RefusedAllocations, statistics.FailedAllocations));
    }

    [Fact]
    public void A_strategy_not_validated_yet_is_validated_by_its_first_nested_allocation()
    {
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 4);
        StrategyThread thread = pool.StatusTracker.CurrentThread;

        void* block = pool.AllocateNested(thread, 64, recordStatistics: false);
        Assert.True(block is not null);
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
        Assert.True(pool.DeallocateNested(thread, block, recordStatistics: false));
    }

    [Fact]
    public void A_size_class_pool_serves_a_faulted_class_s_sizes_from_its_fallback()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8 });
        int index = SizeClasses.IndexOf(200);
        var before = (byte*)pool.Allocate(200);
        Assert.True(pool.ClassPool(index).Owns(before));

        Assert.True(pool.ClassTracker(index).TryFault());
        var after = (byte*)pool.Allocate(200);
        Assert.True(after is not null);
        Assert.False(pool.ClassPool(index).Owns(after));          // not from the faulted class
        Assert.True(pool.Owns(after));                            // from the fallback, which the pool owns through
        Assert.Equal(1, pool.ClassOverflows);
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());     // until its own validation reads the failed class

        pool.Deallocate(after);
        pool.Deallocate(before);                                  // the faulted class takes its block back
        Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
        Assert.Equal(0, pool.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.False(pool.Validate());
    }

    [Fact]
    public void By_default_a_size_class_pool_counts_its_traffic_only_at_the_outer_strategy()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8 });
        int index = SizeClasses.IndexOf(200);

        void* block = pool.Allocate(200);
        pool.Deallocate(block);
        pool.Deallocate(block);

        Assert.Equal((1L, 1L, 1L), (pool.StatusTracker.GetStatistics().Allocations, pool.StatusTracker.GetStatistics().Deallocations,
            pool.StatusTracker.GetStatistics().RefusedDeallocations));
        StrategyStatistics inner = pool.ClassTracker(index).GetStatistics();
        Assert.Equal((0L, 0L, 1L), (inner.Allocations, inner.Deallocations, inner.RefusedDeallocations));
    }

    // The pool's fast path uses the object as its PoolThread without a type check, relying on every object that reaches it
    // being its own tracker's: the nested entry points, whose caller chooses the object, check that first. Another
    // pool's object (the same type: it would pass any type check, and mix the two pools' blocks), an object of another
    // type (read as a PoolThread, it would be read past its end) and a tracker's object of no pool are all refused with
    // an ArgumentException, before anything changes.
    [Fact]
    public void The_nested_entry_points_refuse_an_object_of_another_strategy_before_anything_changes()
    {
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 4);
        using var other = new MemoryPoolStrategy(blockSize: 64, blockCount: 4);
        using var sizeClasses = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8 });
        var plain = new StatusTracker("plain");
        Assert.True(pool.Validate());
        void* block = pool.Allocate(64);

        foreach (StrategyThread foreign in new[] { other.StatusTracker.CurrentThread, sizeClasses.StatusTracker.CurrentThread, plain.CurrentThread })
        {
            var allocate = Assert.Throws<ArgumentException>(() => (nint)pool.AllocateNested(foreign, 64, recordStatistics: true));
            Assert.Equal("thread", allocate.ParamName);
            Assert.Contains("MemoryPool", allocate.Message);
            Assert.Throws<ArgumentException>(() => pool.DeallocateNested(foreign, block, recordStatistics: true));
        }

        // No object at all: the argument's own error, naming it.
        Assert.Equal("thread", Assert.Throws<ArgumentNullException>(() => (nint)pool.AllocateNested(null!, 64, recordStatistics: true)).ParamName);
        Assert.Equal("thread", Assert.Throws<ArgumentNullException>(() => pool.DeallocateNested(null!, block, recordStatistics: true)).ParamName);

        // Nothing moved: the block is still live and the pool's own object still serves every other block.
        StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
        Assert.Equal((1L, 0L, 0L, 0L), (statistics.Allocations, statistics.Deallocations, statistics.FailedAllocations, statistics.RefusedDeallocations));
        Assert.True(pool.Owns(block));
        Assert.True(pool.DeallocateNested(pool.StatusTracker.CurrentThread, block, recordStatistics: true));
        var served = new List<nint>();
        for (void* next = pool.Allocate(64); next is not null; next = pool.Allocate(64))
        {
            served.Add((nint)next);
        }

        Assert.Equal(4, served.Distinct().Count());
        Assert.Equal(0, other.StatusTracker.GetStatistics().Allocations);
    }

    [Fact]
    public void OwnsNested_gives_the_same_answer_as_Owns_without_a_lookup_of_its_own()
    {
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 4);
        using var tracked = new NativePassThroughStrategy();
        long onStack = 0;
        byte* block = (byte*)pool.Allocate(64);
        byte* large = (byte*)tracked.Allocate(1000);

        Assert.True(pool.OwnsNested(block) && pool.Owns(block));
        Assert.False(pool.OwnsNested(block + 16) || pool.OwnsNested(&onStack) || pool.OwnsNested(null));
        Assert.True(tracked.OwnsNested(large));
        Assert.False(tracked.OwnsNested(large + 8) || tracked.OwnsNested(block) || tracked.OwnsNested(null));

        pool.Deallocate(block);
        tracked.Deallocate(large);
        Assert.False(pool.OwnsNested(block));
        Assert.False(tracked.OwnsNested(large));
    }

    [Fact]
    public void A_disposed_pool_reached_through_its_nested_entry_points_refuses_and_reads_no_freed_memory()
    {
        // A holder that broke its contract (the inner pool disposed while it still routes to it): the pool's fast path
        // must not use the state bytes and cache its cleanup freed. Its copy of the fast path is reset by the cleanup,
        // so the free is refused by the ownership test before any state byte is read, and the allocation finds the
        // cache released and the pool disposed. Without the reset the free reads freed state bytes, and one that
        // still reads Allocated lets it push onto the released cache; whether one does depends on what the C heap
        // wrote there since, so the refusals alone would catch a missing reset in some runs only: both copies of the
        // fast path (the strategy's and the pool's) are checked directly first.
        var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 64);
        Assert.True(pool.Validate());
        StrategyThread thread = pool.StatusTracker.CurrentThread;
        var kept = new List<nint>();
        for (int i = 0; i < 32; i++)
        {
            void* block = pool.AllocateNested(thread, 64, recordStatistics: false);
            Assert.True(block is not null);
            kept.Add((nint)block);
        }

        pool.Dispose();

        foreach (PoolFastPath copy in new[] { pool.FastPathCopy, pool.Pool.FastPath })
        {
            Assert.True(copy.States is null);
            Assert.All(kept, block => Assert.False(copy.Indexer.TryGetIndex((void*)block, out _)));
        }

        // 32 blocks: most of their state bytes lie past the few a freed allocation's header takes.
        Assert.All(kept, block => Assert.False(pool.DeallocateNested(thread, (void*)block, recordStatistics: false)));
        Assert.True(pool.AllocateNested(thread, 64, recordStatistics: false) is null);
        Assert.All(kept, block => Assert.False(pool.OwnsNested((void*)block)));
        Assert.Equal(32, pool.LeakedBlocks);
    }
}
