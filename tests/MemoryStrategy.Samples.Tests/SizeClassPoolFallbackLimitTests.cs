namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// A fallback that serves less than the options' limit: the pool advertises what it can really serve
/// (<see cref="SizeClassPoolOptions.MaxAllocationSize"/> at most, and no more than the largest class or the
/// fallback's limit, whichever is larger), so a size above that is an invalid size (refused, the pool stays Ready)
/// rather than an exhaustion (failed, Degraded).
/// </summary>
public unsafe class SizeClassPoolFallbackLimitTests
{
    private const int ArenaLimit = 1 << 17; // a 128 KiB arena serves up to 128 KiB

    public static TheoryData<nuint> OptionLimits => new() { SizeClassPoolStrategy.Limit, 1 << 20, ArenaLimit + 1 };

    [Theory]
    [MemberData(nameof(OptionLimits))]
    public void A_size_between_the_fallbacks_limit_and_the_options_is_refused_as_invalid_and_the_pool_stays_ready(nuint optionLimit)
    {
        var arena = new BumpArenaStrategy(ArenaLimit);
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, Fallback = arena, MaxAllocationSize = optionLimit });
        IMemoryStrategy strategy = pool;
        Assert.Equal((nuint)ArenaLimit, pool.MaxAllocationSize);
        Assert.Equal((nuint)ArenaLimit, strategy.MaxAllocationSize);
        Assert.True(StrategyValidator.ValidateAllocation(strategy, ArenaLimit));
        Assert.False(StrategyValidator.ValidateAllocation(strategy, ArenaLimit + 1));

        Assert.True(pool.Allocate(ArenaLimit + 1) is null);
        Assert.True(strategy.Allocate(ArenaLimit + 1) is null);
        Assert.True(pool.Allocate(1 << 20) is null);

        // Refused at the pool as sizes it does not serve: nothing failed, nothing reached the arena.
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((3L, 0L, 0L), (outer.RefusedAllocations, outer.FailedAllocations, outer.Allocations));
        StrategyStatistics fallback = arena.StatusTracker.GetStatistics();
        Assert.Equal((0L, 0L, 0L), (fallback.RefusedAllocations, fallback.FailedAllocations, fallback.Allocations));
        Assert.Equal(StrategyStatus.Ready, arena.GetStatus());

        // The fallback's own limit is served, through either entry point.
        void* block = strategy.Allocate(ArenaLimit);
        Assert.True(block is not null && arena.Owns(block));
        strategy.Deallocate(block);
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
        Assert.True(pool.Validate());
    }

    [Fact]
    public void A_fallback_below_the_largest_class_leaves_the_classes_limit()
    {
        var arena = new BumpArenaStrategy(4096);
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, Fallback = arena });
        Assert.Equal((nuint)SizeClasses.Largest, pool.MaxAllocationSize);

        void* largest = pool.Allocate(SizeClasses.Largest);
        Assert.True(largest is not null && !arena.Owns(largest));
        Assert.True(pool.Allocate(SizeClasses.Largest + 1) is null);
        pool.Deallocate(largest);

        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
        Assert.Equal((1L, 0L), (pool.StatusTracker.GetStatistics().RefusedAllocations, pool.StatusTracker.GetStatistics().FailedAllocations));
    }

    [Fact]
    public void The_options_limit_wins_when_it_is_the_lowest()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions
        {
            SmallClassBlocks = 8, LargeClassBlocks = 8, Fallback = new BumpArenaStrategy(ArenaLimit), MaxAllocationSize = 1000,
        });
        Assert.Equal((nuint)1000, pool.MaxAllocationSize);
        Assert.True(pool.Allocate(1001) is null);
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
    }
}
