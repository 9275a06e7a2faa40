using System.Diagnostics.Metrics;

namespace MemoryStrategy.Samples.Tests;

public unsafe class SizeClassPoolMeterTests
{
    [Fact]
    public void Each_inner_strategy_is_its_own_series_tagged_with_its_owner_and_role()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 16, LargeClassBlocks = 16, InnerStatistics = true });
        for (int i = 0; i < 3; i++)
        {
            pool.Deallocate(pool.Allocate(64));
        }

        pool.Deallocate(pool.Allocate(100_000));

        var series = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MemoryStrategyDiagnostics.MeterName && instrument.Name == MemoryStrategyInstruments.Allocations)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (series)
            {
                series.Add((value, copy));
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        // Other tests' pools may be alive too: series of one name, owner and role are summed, so ours is a lower bound.
        Assert.Contains(series, s => Tagged(s.Tags, "MemoryPool", "64 B") && s.Value >= 3);
        Assert.Contains(series, s => Tagged(s.Tags, "NativePassThrough", "fallback") && s.Value >= 1);
        Assert.Contains(series, s => Equals(s.Tags[MemoryStrategyDiagnostics.StrategyTagName], "SizeClassPool")
            && !s.Tags.ContainsKey(MemoryStrategyDiagnostics.OwnerTagName) && s.Value >= 4);
        GC.KeepAlive(pool);
    }

    private static bool Tagged(Dictionary<string, object?> tags, string strategy, string role) =>
        Equals(tags[MemoryStrategyDiagnostics.StrategyTagName], strategy)
        && tags.TryGetValue(MemoryStrategyDiagnostics.OwnerTagName, out object? owner) && Equals(owner, "SizeClassPool")
        && tags.TryGetValue(MemoryStrategyDiagnostics.RoleTagName, out object? role2) && Equals(role2, role);
}
