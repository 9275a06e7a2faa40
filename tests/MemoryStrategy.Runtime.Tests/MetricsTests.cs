using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using static MemoryStrategy.MemoryStrategyInstruments;

namespace MemoryStrategy.Runtime.Tests;

public unsafe class MetricsTests
{
    [Fact]
    public void Every_instrument_reports_the_strategys_statistics_under_its_name()
    {
        string name = LedgerStrategy.UniqueName("metrics");
        using var strategy = new LedgerStrategy(name, maxAllocationSize: 1024, liveBlockLimit: 3);
        using var probe = new MeterProbe(name);

        void* a = strategy.Allocate(100);
        void* b = strategy.Allocate(200);
        void* c = strategy.Allocate(300);
        Assert.True(strategy.Allocate(400) is null); // exhausted: failed
        Assert.True(strategy.Allocate(0) is null); // refused
        Assert.True(strategy.Allocate(2000) is null); // refused
        strategy.Deallocate(a);
        strategy.Deallocate(a); // double free: refused
        strategy.Deallocate(null); // refused

        Dictionary<string, long> values = probe.Collect();

        Assert.Equal(3, values[Allocations]);
        Assert.Equal(1, values[FailedAllocations]);
        Assert.Equal(2, values[RefusedAllocations]);
        Assert.Equal(2, values[LiveAllocations]);
        Assert.Equal(600, values[BytesRequested]);
        Assert.Equal(1, values[Deallocations]);
        Assert.Equal(2, values[RefusedDeallocations]);
        Assert.Equal(7, values.Count);

        strategy.Deallocate(b);
        strategy.Deallocate(c);
    }

    [Fact]
    public void Values_are_read_when_collected_not_when_the_listener_started()
    {
        string name = LedgerStrategy.UniqueName("observable");
        using var strategy = new LedgerStrategy(name);
        using var probe = new MeterProbe(name);

        strategy.Deallocate(strategy.Allocate(10));
        Dictionary<string, long> first = probe.Collect();
        void* live = strategy.Allocate(20);
        Dictionary<string, long> second = probe.Collect();

        Assert.Equal((1, 0, 10), (first[Allocations], first[LiveAllocations], first[BytesRequested]));
        Assert.Equal((2, 1, 30), (second[Allocations], second[LiveAllocations], second[BytesRequested]));
        strategy.Deallocate(live);
    }

    [Fact]
    public void The_meter_publishes_counters_and_an_up_down_counter_for_live_blocks()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("kinds"));
        using var probe = new MeterProbe(strategy.StatusTracker.Name);

        Dictionary<string, Instrument> instruments = probe.Instruments.ToDictionary(i => i.Name);

        Assert.Equal(
            new[] { Allocations, BytesRequested, Deallocations, FailedAllocations, LiveAllocations, RefusedNativeCalls, RefusedAllocations, RefusedDeallocations }.Order(),
            instruments.Keys.Order());
        Assert.IsType<ObservableUpDownCounter<long>>(instruments[LiveAllocations]);
        Assert.All(instruments.Values.Where(i => i.Name != LiveAllocations), i => Assert.IsType<ObservableCounter<long>>(i));
        Assert.Equal("By", instruments[BytesRequested].Unit);
        Assert.All(instruments.Values, i => Assert.False(string.IsNullOrEmpty(i.Description)));
    }

    [Fact]
    public void Live_strategies_sharing_a_name_are_summed_into_one_series()
    {
        string name = LedgerStrategy.UniqueName("shared");
        using var first = new LedgerStrategy(name);
        using var second = new LedgerStrategy(name);
        using var probe = new MeterProbe(name);

        void* a = first.Allocate(8);
        void* b = second.Allocate(16);
        void* c = second.Allocate(32);
        IReadOnlyList<(string Instrument, long Value)> measurements = probe.CollectAll();

        Assert.Single(measurements, m => m.Instrument == Allocations);
        Assert.Equal(3, measurements.Single(m => m.Instrument == Allocations).Value);
        Assert.Equal(56, measurements.Single(m => m.Instrument == BytesRequested).Value);
        first.Deallocate(a);
        second.Deallocate(b);
        second.Deallocate(c);
    }

    [Fact]
    public void A_disposed_strategy_still_reports_its_leaked_blocks_while_it_is_reachable()
    {
        string name = LedgerStrategy.UniqueName("leaky");
        var strategy = new LedgerStrategy(name);
        using var probe = new MeterProbe(name);

        strategy.Allocate(64);
        strategy.Allocate(64);
        strategy.Dispose();

        Assert.Equal(2, probe.Collect()[LiveAllocations]);
        GC.KeepAlive(strategy);
    }

    [Fact]
    public void A_collected_strategy_is_no_longer_reported_and_is_not_kept_alive_by_the_meter()
    {
        string keptName = LedgerStrategy.UniqueName("kept");
        string goneName = LedgerStrategy.UniqueName("gone");
        using var kept = new LedgerStrategy(keptName);
        kept.Deallocate(kept.Allocate(1));
        using var goneProbe = new MeterProbe(goneName);
        using var keptProbe = new MeterProbe(keptName);

        // The dropped strategy is the last one this thread used, so its StrategyThread is the thread's cached
        // one: that cache must not keep its tracker alive.
        (WeakReference strategy, WeakReference tracker) = UseAndDrop(goneName, goneProbe);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(strategy.IsAlive);
        Assert.False(tracker.IsAlive);
        Assert.Empty(goneProbe.CollectAll());
        Assert.Equal(1, keptProbe.Collect()[Allocations]);
    }

    [Fact]
    public void A_series_shared_by_several_instances_never_goes_down_when_one_of_them_is_collected()
    {
        // Two instances under one name are one series. When one is collected its counts must stay in the series while
        // the other lives (a consumer reads a drop as a counter reset); when the last one goes, the series ends.
        string name = LedgerStrategy.UniqueName("shared");
        using var probe = new MeterProbe(name);
        // Held in a box and used only by helpers, so that no slot of this method keeps it alive at the end.
        StrongBox<LedgerStrategy?> kept = Create(name);
        Use(kept, times: 3);

        // The second instance leaks a block, and is held until the snapshot is taken: unreachable before it, it could be
        // collected by a collection another test's allocations start, and its leak would already be live nowhere.
        StrongBox<LedgerStrategy?> dropped = Create(name);
        UseAndLeak(dropped);
        Dictionary<string, long> before = probe.Collect();
        Assert.Equal(5, before[Allocations]);
        Assert.Equal(4, before[Deallocations]);
        Assert.Equal(1, before[LiveAllocations]);
        WeakReference strategy = Forget(dropped);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(strategy.IsAlive);

        Dictionary<string, long> after = probe.Collect();
        Assert.Equal(5, after[Allocations]);
        Assert.Equal(4, after[Deallocations]);
        Assert.Equal(3 * 8 + 1 + 2, after[BytesRequested]);

        // Live blocks are an up-down counter: the collected strategy's leaked block is live nowhere now.
        Assert.Equal(0, after[LiveAllocations]);

        // The series goes on counting from there.
        Use(kept, times: 1);
        Assert.Equal(6, probe.Collect()[Allocations]);

        WeakReference last = Drop(kept);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(last.IsAlive);
        Assert.Empty(probe.CollectAll());
    }

    [Fact]
    public void A_strategy_that_joins_an_owner_after_counting_leaves_its_counts_in_the_series_it_left()
    {
        // Two instances under one name; one of them is then attached to an owner, so it moves to the series tagged with
        // that owner. The series it left goes on (the other instance lives): it keeps the moved one's counts rather than
        // going down, and the owner's series starts from them.
        string name = LedgerStrategy.UniqueName("moving");
        using var probe = new MeterProbe(name);
        using var staying = new LedgerStrategy(name);
        using var moving = new LedgerStrategy(name);
        using var owner = new LedgerStrategy(LedgerStrategy.UniqueName("owner"));
        staying.Deallocate(staying.Allocate(8));
        for (int i = 0; i < 3; i++)
        {
            moving.Deallocate(moving.Allocate(8));
        }

        Assert.Equal(4, probe.Collect()[Allocations]);

        moving.StatusTracker.AttachTo(owner.StatusTracker, "inner");
        List<(string Instrument, long Value)> series = probe.CollectAll().Where(m => m.Instrument == Allocations).ToList();

        // One measurement for the series without an owner (4: its own 1 and the 3 the moved one left), one for the
        // owner's (3).
        Assert.Equal([3L, 4L], series.Select(m => m.Value).Order());
    }

    [Fact]
    public void Collecting_while_other_threads_create_and_drop_strategies_is_safe_and_exact_for_live_ones()
    {
        string name = LedgerStrategy.UniqueName("steady");
        using var steady = new LedgerStrategy(name);
        void* block = steady.Allocate(5);
        using var probe = new MeterProbe(name);
        int collecting = 1;

        Workers.Run(3, worker =>
        {
            if (worker == 0)
            {
                for (int i = 0; i < 25; i++)
                {
                    Assert.Equal(1, probe.Collect()[LiveAllocations]);
                }

                Volatile.Write(ref collecting, 0);
                return;
            }

            // Churn: trackers join the registry (and die) while the collector enumerates it.
            for (int created = 0; created < 5_000 && Volatile.Read(ref collecting) == 1; created++)
            {
                var transient = new LedgerStrategy("churn");
                transient.Deallocate(transient.Allocate(1));
            }
        });

        steady.Deallocate(block);
        Assert.Equal(0, probe.Collect()[LiveAllocations]);
    }

    /// <summary>A strategy in a box, made here so that no slot of the caller holds it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StrongBox<LedgerStrategy?> Create(string name) => new(new LedgerStrategy(name));

    /// <summary>Allocates and frees an 8-byte block <paramref name="times"/> times.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Use(StrongBox<LedgerStrategy?> strategy, int times)
    {
        for (int i = 0; i < times; i++)
        {
            strategy.Value!.Deallocate(strategy.Value.Allocate(8));
        }
    }

    /// <summary>Frees a 1-byte block, then allocates a 2-byte block it never frees.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseAndLeak(StrongBox<LedgerStrategy?> strategy)
    {
        strategy.Value!.Deallocate(strategy.Value.Allocate(1));
        strategy.Value.Allocate(2);
    }

    /// <summary>Forgets the strategy in the box without disposing it; a weak reference to it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Forget(StrongBox<LedgerStrategy?> strategy)
    {
        var weak = new WeakReference(strategy.Value);
        strategy.Value = null;
        return weak;
    }

    /// <summary>Disposes and forgets the strategy in the box; a weak reference to it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Drop(StrongBox<LedgerStrategy?> strategy)
    {
        var weak = new WeakReference(strategy.Value);
        strategy.Value!.Dispose();
        strategy.Value = null;
        return weak;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Strategy, WeakReference Tracker) UseAndDrop(string name, MeterProbe probe)
    {
        var strategy = new LedgerStrategy(name);
        strategy.Deallocate(strategy.Allocate(1));
        strategy.Allocate(2); // a leak: the block stays, the strategy goes
        Assert.Equal(1, probe.Collect()[LiveAllocations]);
        return (new WeakReference(strategy), new WeakReference(strategy.StatusTracker));
    }
}
