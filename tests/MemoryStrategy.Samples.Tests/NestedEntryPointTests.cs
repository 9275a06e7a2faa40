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
}
