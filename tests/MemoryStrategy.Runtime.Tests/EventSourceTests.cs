using System.Diagnostics.Tracing;

namespace MemoryStrategy.Runtime.Tests;

public unsafe class EventSourceTests
{
    [Fact]
    public void A_fault_is_written_once_with_the_strategy_name_and_the_status_it_left()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("faulty"));
        using var probe = new EventProbe(strategy.StatusTracker.Name);
        strategy.Validate();

        Assert.True(strategy.StatusTracker.TryFault());
        Assert.False(strategy.StatusTracker.TryFault());

        EventWrittenEventArgs fault = Assert.Single(probe.Events);
        Assert.Equal("StrategyFaulted", fault.EventName);
        Assert.Equal(EventLevel.Error, fault.Level);
        // Keyword-less (bits 44-47 are session bits the runtime adds): an EventPipe session that names only the
        // provider, with no keywords, receives it.
        Assert.Equal(0L, (long)fault.Keywords & 0x0000_0FFF_FFFF_FFFF);
        Assert.Equal(["strategyName", "previousStatus"], fault.PayloadNames);
        Assert.Equal(StrategyStatus.Ready, (StrategyStatus)Convert.ToInt32(fault.Payload![1]));
        Assert.Contains(strategy.StatusTracker.Name, FormattedMessage(fault));
        Assert.Empty(probe.SourceErrors);
    }

    [Fact]
    public void A_failed_first_validation_is_a_fault_from_uninitialized()
    {
        var tracker = new StatusTracker(LedgerStrategy.UniqueName("invalid"));
        using var probe = new EventProbe(tracker.Name);

        Assert.False(tracker.TryInitialize(invariantsHold: false));

        EventWrittenEventArgs fault = Assert.Single(probe.Events);
        Assert.Equal(StrategyStatus.Uninitialized, (StrategyStatus)Convert.ToInt32(fault.Payload![1]));
    }

    [Fact]
    public void Of_threads_racing_to_fault_a_strategy_only_the_winner_writes_an_event()
    {
        for (int round = 0; round < 50; round++)
        {
            var tracker = new StatusTracker(LedgerStrategy.UniqueName("race"));
            tracker.TryInitialize(invariantsHold: true);
            using var probe = new EventProbe(tracker.Name);

            Workers.Run(4, _ => tracker.TryFault());

            Assert.Single(probe.Events);
        }
    }

    [Fact]
    public void Other_transitions_write_nothing()
    {
        var tracker = new StatusTracker(LedgerStrategy.UniqueName("healthy"));
        using var probe = new EventProbe(tracker.Name);

        tracker.TryInitialize(invariantsHold: true);
        tracker.RecordFailedAllocation(); // Ready -> Degraded
        tracker.RecordAllocation(1); // Degraded -> Ready
        tracker.TryDispose();

        Assert.Equal(StrategyStatus.Disposed, tracker.Status);
        Assert.Empty(probe.Events);
    }

    [Fact]
    public void Each_refused_deallocation_is_written_with_its_reason()
    {
        var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("refusals"));
        using var probe = new EventProbe(strategy.StatusTracker.Name);
        void* block = strategy.Allocate(32);
        strategy.Deallocate(block);

        strategy.Deallocate(null);
        strategy.Deallocate(block);
        strategy.Dispose();
        strategy.Deallocate(block);

        Assert.All(probe.Events, e => Assert.Equal("DeallocationRefused", e.EventName));
        Assert.All(probe.Events, e => Assert.Equal(EventLevel.Warning, e.Level));
        Assert.All(probe.Events, e => Assert.Equal(["strategyName", "reason"], e.PayloadNames));
        Assert.Equal(
            [DeallocationRefusal.NullPointer, DeallocationRefusal.NotOwned, DeallocationRefusal.StrategyDisposed],
            probe.Events.Select(e => (DeallocationRefusal)Convert.ToInt32(e.Payload![1])));
        Assert.Equal(3, strategy.Statistics.RefusedDeallocations);
        Assert.Empty(probe.SourceErrors);
    }

    [Fact]
    public void A_session_at_error_level_gets_faults_but_no_refusals()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("filtered"));
        using var probe = new EventProbe(strategy.StatusTracker.Name, EventLevel.Error);

        strategy.Deallocate(null);
        strategy.Validate();
        strategy.StatusTracker.TryFault();

        Assert.Equal(["StrategyFaulted"], probe.Events.Select(e => e.EventName));
    }

    private static string FormattedMessage(EventWrittenEventArgs e) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, e.Message!, [.. e.Payload!]);
}
