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

    [Fact]
    public void CheckThread_accepts_the_trackers_own_objects_only()
    {
        var tracker = new StatusTracker("mine");
        var other = new StatusTracker("other");
        var handle = new StatusTrackerHandle(tracker);
        StrategyThread mine = tracker.CurrentThread;
        StrategyThread? fromAnotherThread = null;
        var worker = new Thread(() => fromAnotherThread = tracker.CurrentThread);
        worker.Start();
        worker.Join();

        handle.CheckThread(mine);
        handle.CheckThread(fromAnotherThread!); // the tracker's, so accepted: which thread holds it is the caller's promise
        var error = Assert.Throws<ArgumentException>(() => handle.CheckThread(other.CurrentThread));
        Assert.Equal("thread", error.ParamName);
        Assert.Contains("'mine'", error.Message);
        Assert.Equal("thread", Assert.Throws<ArgumentNullException>(() => handle.CheckThread(null!)).ParamName);
    }
}
