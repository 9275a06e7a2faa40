namespace MemoryStrategy.Abstractions.Tests;

/// <summary>
/// <see cref="StatusTracker.FailedInnerStrategies"/>: what a strategy built from strategies reads in its
/// <c>[Validate]</c> instead of every inner status.
/// </summary>
[Collection(TrackerIndexCollection.Name)]
public class FailedInnerStrategiesTests
{
    [Fact]
    public void Serving_inner_strategies_count_nothing_and_a_fault_counts_once()
    {
        var owner = new StatusTracker("owner");
        StatusTracker first = StatusTransitionTests.TrackerIn(StrategyStatus.Ready);
        StatusTracker second = StatusTransitionTests.TrackerIn(StrategyStatus.Ready);
        first.AttachTo(owner, "a");
        second.AttachTo(owner, "b");

        Assert.True(first.TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded));
        Assert.Equal(0, owner.FailedInnerStrategies);

        Assert.True(first.TryFault());
        Assert.Equal(1, owner.FailedInnerStrategies);

        // Faulted then disposed (once the owner is disposed) is still one failed strategy.
        Assert.True(owner.TryTransition(StrategyStatus.Uninitialized, StrategyStatus.Disposed));
        Assert.True(first.TryDispose());
        Assert.Equal(1, owner.FailedInnerStrategies);

        Assert.True(second.TryDispose());
        Assert.Equal(2, owner.FailedInnerStrategies);
    }

    [Fact]
    public void A_strategy_attached_when_already_faulted_is_counted()
    {
        var owner = new StatusTracker("owner");
        StatusTracker inner = StatusTransitionTests.TrackerIn(StrategyStatus.Ready);
        Assert.True(inner.TryFault());

        inner.AttachTo(owner, "a");

        Assert.Equal(1, owner.FailedInnerStrategies);
    }

    [Fact]
    public void A_failed_first_validation_counts_and_an_unvalidated_strategy_does_not()
    {
        var owner = new StatusTracker("owner");
        var pending = new StatusTracker("pending");
        var failing = new StatusTracker("failing");
        pending.AttachTo(owner, "a");
        failing.AttachTo(owner, "b");
        Assert.Equal(0, owner.FailedInnerStrategies);

        Assert.False(failing.TryInitialize(invariantsHold: false));

        Assert.Equal(1, owner.FailedInnerStrategies);
    }

    [Fact]
    public void Only_attached_strategies_are_counted_and_only_in_their_own_owner()
    {
        var owner = new StatusTracker("owner");
        var other = new StatusTracker("other");
        StatusTracker attached = StatusTransitionTests.TrackerIn(StrategyStatus.Ready);
        StatusTracker loose = StatusTransitionTests.TrackerIn(StrategyStatus.Ready);
        attached.AttachTo(other, "a");

        Assert.True(loose.TryFault());
        Assert.True(attached.TryFault());

        Assert.Equal(0, owner.FailedInnerStrategies);
        Assert.Equal(1, other.FailedInnerStrategies);
    }

    [Fact]
    public void A_fault_racing_the_attach_is_counted_exactly_once()
    {
        // Either side may see the other first; the count must be 1 whichever interleaving happens.
        for (int round = 0; round < 500; round++)
        {
            var owner = new StatusTracker("owner");
            StatusTracker inner = StatusTransitionTests.TrackerIn(StrategyStatus.Ready);
            using var start = new Barrier(2);
            var attach = new Thread(() =>
            {
                start.SignalAndWait();
                inner.AttachTo(owner, "a");
            });
            attach.Start();
            start.SignalAndWait();
            inner.TryFault();
            attach.Join();

            Assert.Equal(1, owner.FailedInnerStrategies);
        }
    }
}
