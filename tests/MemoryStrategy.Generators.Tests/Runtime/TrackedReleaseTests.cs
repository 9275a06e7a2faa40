using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// The release of a <c>TrackAllocations</c> strategy's live blocks at <c>Dispose</c> when a core throws: the registry
/// has already given the blocks up, so a block after the throwing one that were not handed to the core would be lost.
/// </summary>
public sealed unsafe class TrackedReleaseTests
{
    [Fact]
    public void A_core_that_throws_during_the_release_does_not_strand_the_other_blocks()
    {
        var strategy = new ThrowingReleaseHeap();
        var blocks = new List<nint>();
        for (int i = 0; i < 50; i++)
        {
            blocks.Add((nint)strategy.Allocate(32));
        }

        // The registry's order is its hash order: whichever place the throwing block takes, 49 others remain.
        strategy.ThrowingBlock = blocks[17];

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(strategy.Dispose);

        Assert.Equal("The free core refuses this block.", error.Message);
        Assert.Equal(49, strategy.CoreFrees);
        Assert.Equal(1, strategy.Cleanups);
        Assert.Equal(StrategyStatus.Disposed, strategy.GetStatus());

        // Disposed once: a second Dispose releases nothing and does not throw.
        strategy.Dispose();
        Assert.Equal(49, strategy.CoreFrees);
        Assert.Equal(1, strategy.Cleanups);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_free_whose_core_throws_leaves_the_block_live_so_a_retry_frees_it(bool nested)
    {
        var strategy = new ThrowingReleaseHeap();
        void* kept = strategy.Allocate(32);
        void* block = strategy.Allocate(32);
        strategy.ThrowingBlock = (nint)block;

        Assert.Throws<InvalidOperationException>(() => Free(strategy, block, nested));

        // Still the strategy's live block: in the registry (Owns) and in the statistics (the free was never counted).
        Assert.True(strategy.Owns(block));
        Assert.Equal(2, strategy.StatusTracker.GetStatistics().LiveAllocations);

        // The retry reaches the core (a faulted strategy still takes blocks back), and only once.
        strategy.ThrowingBlock = 0;
        Assert.True(Free(strategy, block, nested));
        Assert.False(strategy.Owns(block));
        Assert.Equal(1, strategy.CoreFrees);
        Assert.False(Free(strategy, block, nested));

        strategy.Dispose();
        Assert.Equal(2, strategy.CoreFrees); // the block kept live until Dispose is handed back too
        _ = kept;
    }

    /// <summary>Frees through the public entry or the nested one; whether the block was taken (the public entry: not refused).</summary>
    private static bool Free(ThrowingReleaseHeap strategy, void* ptr, bool nested)
    {
        if (nested)
        {
            return strategy.DeallocateNested(strategy.StatusTracker.CurrentThread, ptr, recordStatistics: true);
        }

        long refused = strategy.StatusTracker.GetStatistics().RefusedDeallocations;
        strategy.Deallocate(ptr);
        return strategy.StatusTracker.GetStatistics().RefusedDeallocations == refused;
    }
}
