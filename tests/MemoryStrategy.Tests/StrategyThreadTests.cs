namespace MemoryStrategy.Tests;

/// <summary>
/// <see cref="StatusTracker.CurrentThread"/> and the <see cref="StrategyThread"/> overloads of the recorders: one
/// object per thread and tracker, counts that land in the tracker's totals, state that never passes between threads.
/// </summary>
public sealed class StrategyThreadTests
{
    [Fact]
    public void Each_thread_gets_its_own_object_and_the_same_one_on_every_call()
    {
        var tracker = new StatusTracker("threads");
        StrategyThread mine = tracker.CurrentThread;
        Assert.Same(mine, tracker.CurrentThread);

        StrategyThread? other = null;
        var worker = new Thread(() => other = tracker.CurrentThread);
        worker.Start();
        worker.Join();

        Assert.NotNull(other);
        Assert.NotSame(mine, other);
    }

    [Fact]
    public void Counts_recorded_through_the_thread_object_reach_the_statistics()
    {
        var tracker = new StatusTracker("counts");
        Assert.True(tracker.TryInitialize(true));
        StrategyThread thread = tracker.CurrentThread;

        tracker.RecordAllocation(thread, 64);
        tracker.RecordAllocation(thread, 32);
        tracker.RecordDeallocation(thread);

        StrategyStatistics stats = tracker.GetStatistics();
        Assert.Equal(2, stats.Allocations);
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(96, stats.BytesRequested);
        Assert.Equal(1, stats.LiveAllocations);
        Assert.Equal(2, stats.PeakLiveAllocations);
    }

    [Fact]
    public void A_successful_allocation_through_the_thread_object_moves_degraded_back_to_ready()
    {
        var tracker = new StatusTracker("degraded");
        Assert.True(tracker.TryInitialize(true));
        tracker.RecordFailedAllocation();
        Assert.Equal(StrategyStatus.Degraded, tracker.Status);

        tracker.RecordAllocation(tracker.CurrentThread, 8);

        Assert.Equal(StrategyStatus.Ready, tracker.Status);
    }

    [Fact]
    public void State_is_per_thread_and_is_not_handed_to_a_thread_that_takes_over_an_exited_threads_counts()
    {
        var tracker = new StatusTracker("state");
        Assert.True(tracker.TryInitialize(true));
        tracker.CurrentThread.State = "main";

        var exited = new Thread(() =>
        {
            StrategyThread thread = tracker.CurrentThread;
            thread.State = "exited";
            tracker.RecordAllocation(thread, 16);
        });
        exited.Start();
        exited.Join();

        object? seenByNewcomer = "unset";
        var newcomer = new Thread(() =>
        {
            StrategyThread thread = tracker.CurrentThread;
            seenByNewcomer = thread.State;
            thread.State = "newcomer";
            Assert.Equal("newcomer", tracker.CurrentThread.State);
        });
        newcomer.Start();
        newcomer.Join();

        Assert.Null(seenByNewcomer);
        Assert.Equal("main", tracker.CurrentThread.State);

        // The exited thread's count is still part of the totals.
        Assert.Equal(1, tracker.GetStatistics().Allocations);
    }
}
