namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// The fallback behind the size classes: the default pass-through is called through its nested entry points (its
/// statistics as <see cref="SizeClassPoolOptions.InnerStatistics"/> says, refusals always), any other strategy through
/// its public members.
/// </summary>
public unsafe class SizeClassPoolFallbackTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_default_fallback_counts_its_traffic_only_when_inner_statistics_are_on_and_refusals_always(bool innerStatistics)
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, InnerStatistics = innerStatistics });
        byte* large = (byte*)pool.Allocate(100_000);
        Assert.True(large is not null);
        large[99_999] = 1;
        Assert.False(pool.Owns(large + 16));

        pool.Deallocate(large);
        pool.Deallocate(large);      // double free: the fallback's
        pool.Deallocate(large + 16); // interior: nobody's, so the fallback's to refuse

        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((1L, 1L, 100_000L, 2L), (outer.Allocations, outer.Deallocations, outer.BytesRequested, outer.RefusedDeallocations));

        StrategyStatistics fallback = pool.FallbackTracker.GetStatistics();
        long counted = innerStatistics ? 1 : 0;
        Assert.Equal((counted, counted, 2L), (fallback.Allocations, fallback.Deallocations, fallback.RefusedDeallocations));
        Assert.Equal(StrategyStatus.Ready, pool.FallbackTracker.Status);
    }

    [Fact]
    public void An_exhausted_class_overflows_to_the_default_fallback_through_its_nested_entry_point()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 2, LargeClassBlocks = 2, InnerStatistics = true });
        int index = SizeClasses.IndexOf(64);
        var blocks = Enumerable.Range(0, 3).Select(_ => (nint)pool.Allocate(64)).ToList();

        Assert.Equal(1, pool.ClassOverflows);
        Assert.Equal(2, pool.ClassTracker(index).GetStatistics().Allocations);
        Assert.Equal(1, pool.FallbackTracker.GetStatistics().Allocations);
        Assert.Equal(64, pool.FallbackTracker.GetStatistics().BytesRequested);

        blocks.ForEach(block => pool.Deallocate((void*)block));
        Assert.Equal(1, pool.FallbackTracker.GetStatistics().Deallocations);
        Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
    }

    [Fact]
    public void Another_kind_of_fallback_is_called_through_its_public_members_and_counts_everything()
    {
        var arena = new BumpArenaStrategy(1 << 20);
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, Fallback = arena, InnerStatistics = false });
        Assert.Equal((nuint)(1 << 20), pool.MaxAllocationSize);

        byte* large = (byte*)pool.Allocate(40_000);
        Assert.True(arena.Owns(large));
        large[39_999] = 7;
        Assert.True(pool.Allocate((1 << 20) + 1) is null); // above the arena's limit: refused by the pool

        pool.Deallocate(large);
        pool.Deallocate(large); // refused by the arena

        // Its own wrapper counted what reached it, whatever InnerStatistics says.
        StrategyStatistics fallback = arena.StatusTracker.GetStatistics();
        Assert.Equal((1L, 1L, 1L), (fallback.Allocations, fallback.Deallocations, fallback.RefusedDeallocations));
        Assert.Equal(1, pool.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.Equal(1, pool.StatusTracker.GetStatistics().RefusedAllocations);
    }
}
