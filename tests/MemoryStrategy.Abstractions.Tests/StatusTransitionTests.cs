namespace MemoryStrategy.Abstractions.Tests;

public class StatusTransitionTests
{
    private static readonly StrategyStatus[] AllStatuses = Enum.GetValues<StrategyStatus>();

    private static readonly HashSet<(StrategyStatus, StrategyStatus)> Legal =
    [
        (StrategyStatus.Uninitialized, StrategyStatus.Ready),
        (StrategyStatus.Uninitialized, StrategyStatus.Faulted),
        (StrategyStatus.Uninitialized, StrategyStatus.Disposed),
        (StrategyStatus.Ready, StrategyStatus.Degraded),
        (StrategyStatus.Ready, StrategyStatus.Faulted),
        (StrategyStatus.Ready, StrategyStatus.Disposed),
        (StrategyStatus.Degraded, StrategyStatus.Ready),
        (StrategyStatus.Degraded, StrategyStatus.Faulted),
        (StrategyStatus.Degraded, StrategyStatus.Disposed),
        (StrategyStatus.Faulted, StrategyStatus.Disposed),
    ];

    public static TheoryData<StrategyStatus, StrategyStatus> EveryPair()
    {
        var data = new TheoryData<StrategyStatus, StrategyStatus>();
        foreach (StrategyStatus from in AllStatuses)
        {
            foreach (StrategyStatus to in AllStatuses)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_transition_is_allowed_exactly_when_the_table_says_so(StrategyStatus from, StrategyStatus to)
    {
        StatusTracker tracker = TrackerIn(from);
        bool expected = Legal.Contains((from, to));

        Assert.Equal(expected, StatusTransitions.IsLegal(from, to));
        Assert.Equal(expected, tracker.TryTransition(from, to));
        Assert.Equal(expected ? to : from, tracker.Status);
    }

    [Fact]
    public void A_transition_from_a_status_that_is_not_current_is_refused()
    {
        StatusTracker tracker = TrackerIn(StrategyStatus.Ready);

        Assert.False(tracker.TryTransition(StrategyStatus.Degraded, StrategyStatus.Ready));
        Assert.False(tracker.TryTransition(StrategyStatus.Uninitialized, StrategyStatus.Faulted));
        Assert.Equal(StrategyStatus.Ready, tracker.Status);
    }

    [Fact]
    public void A_new_tracker_is_uninitialized_and_its_status_word_is_readable_natively()
    {
        var tracker = new StatusTracker("t");
        Assert.Equal(StrategyStatus.Uninitialized, tracker.Status);

        tracker.TryTransition(StrategyStatus.Uninitialized, StrategyStatus.Ready);
        tracker.TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded);

        unsafe
        {
            Assert.Equal((int)StrategyStatus.Degraded, *(int*)tracker.StatusAddress);
        }
    }

    [Fact]
    public void Disposed_is_terminal_and_dispose_succeeds_once()
    {
        StatusTracker tracker = TrackerIn(StrategyStatus.Degraded);

        Assert.True(tracker.TryDispose());
        Assert.False(tracker.TryDispose());
        Assert.False(tracker.TryFault());
        foreach (StrategyStatus to in AllStatuses)
        {
            Assert.False(tracker.TryTransitionFromCurrent(to));
        }

        Assert.Equal(StrategyStatus.Disposed, tracker.Status);
    }

    [Theory]
    [InlineData(true, StrategyStatus.Ready)]
    [InlineData(false, StrategyStatus.Faulted)]
    public void Initialisation_moves_to_ready_or_faulted(bool invariantsHold, StrategyStatus expected)
    {
        var tracker = new StatusTracker("t");

        Assert.Equal(invariantsHold, tracker.TryInitialize(invariantsHold));
        Assert.Equal(expected, tracker.Status);

        // A second initialisation changes nothing.
        tracker.TryInitialize(!invariantsHold);
        Assert.Equal(expected, tracker.Status);
    }

    [Fact]
    public void Failures_degrade_and_a_success_recovers()
    {
        StatusTracker tracker = TrackerIn(StrategyStatus.Ready);

        tracker.RecordFailedAllocation();
        Assert.Equal(StrategyStatus.Degraded, tracker.Status);

        tracker.RecordAllocation(8);
        Assert.Equal(StrategyStatus.Ready, tracker.Status);
    }

    [Fact]
    public void A_success_admitted_in_degraded_recovers_and_counts()
    {
        StatusTracker tracker = TrackerIn(StrategyStatus.Degraded);
        StrategyThread thread = tracker.CurrentThread;

        tracker.RecordAllocation(thread, 24, StrategyStatus.Degraded);

        Assert.Equal(StrategyStatus.Ready, tracker.Status);
        StrategyStatistics stats = tracker.GetStatistics();
        Assert.Equal(1, stats.Allocations);
        Assert.Equal(24, stats.BytesRequested);
        Assert.Equal(1, stats.PeakLiveAllocations);
    }

    // The admitted status is what the caller read when it let the request in: a failure recorded after that read is
    // ordered after this allocation, so its Degraded must stay.
    [Fact]
    public void A_success_admitted_in_ready_leaves_a_later_degraded_alone()
    {
        StatusTracker tracker = TrackerIn(StrategyStatus.Degraded);

        tracker.RecordAllocation(tracker.CurrentThread, 8, StrategyStatus.Ready);

        Assert.Equal(StrategyStatus.Degraded, tracker.Status);
        Assert.Equal(1, tracker.GetStatistics().Allocations);
    }

    [Fact]
    public void Counting_never_moves_a_faulted_or_disposed_tracker()
    {
        StatusTracker faulted = TrackerIn(StrategyStatus.Faulted);
        faulted.RecordAllocation(8);
        faulted.RecordFailedAllocation();
        Assert.Equal(StrategyStatus.Faulted, faulted.Status);

        StatusTracker disposed = TrackerIn(StrategyStatus.Disposed);
        disposed.RecordAllocation(8);
        disposed.RecordFailedAllocation();
        Assert.Equal(StrategyStatus.Disposed, disposed.Status);
    }

    /// <summary>Builds a tracker in <paramref name="status"/> through legal transitions only.</summary>
    internal static StatusTracker TrackerIn(StrategyStatus status)
    {
        var tracker = new StatusTracker("t");
        StrategyStatus[] path = status switch
        {
            StrategyStatus.Uninitialized => [],
            StrategyStatus.Ready => [StrategyStatus.Ready],
            StrategyStatus.Degraded => [StrategyStatus.Ready, StrategyStatus.Degraded],
            StrategyStatus.Faulted => [StrategyStatus.Faulted],
            StrategyStatus.Disposed => [StrategyStatus.Disposed],
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };

        foreach (StrategyStatus step in path)
        {
            Assert.True(tracker.TryTransitionFromCurrent(step));
        }

        Assert.Equal(status, tracker.Status);
        return tracker;
    }
}
