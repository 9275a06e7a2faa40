namespace MemoryStrategy.Abstractions.Tests;

public class StatusTrackerHandleTests
{
    [Fact]
    public void Reads_every_status_the_tracker_moves_through()
    {
        var tracker = new StatusTracker("handle");
        var handle = new StatusTrackerHandle(tracker);

        Assert.Same(tracker, handle.Tracker);
        Assert.Equal(StrategyStatus.Uninitialized, handle.Status);
        foreach (StrategyStatus next in new[] { StrategyStatus.Ready, StrategyStatus.Degraded, StrategyStatus.Faulted, StrategyStatus.Disposed })
        {
            Assert.True(tracker.TryTransitionFromCurrent(next));
            Assert.Equal(next, handle.Status);
            Assert.Equal(tracker.Status, handle.Status);
        }
    }

    [Fact]
    public void Needs_a_tracker()
    {
        Assert.Throws<ArgumentNullException>(() => new StatusTrackerHandle(null!));
    }

    [Fact]
    public void A_default_handle_throws_instead_of_reading_memory()
    {
        StatusTrackerHandle handle = default;

        Assert.Null(handle.Tracker);
        Assert.Throws<NullReferenceException>(() => handle.Status);
    }
}
