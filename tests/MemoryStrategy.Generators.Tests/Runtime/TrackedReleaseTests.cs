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
}
