using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;

namespace MemoryStrategy;

/// <summary>
/// The <see cref="MemoryStrategyDiagnostics.MeterName"/> meter. Created by the first <see cref="StatusTracker"/>, so
/// a listener sees every strategy without the application opting in; its instruments are observable and read the
/// per-thread statistics only when a listener collects, so allocations pay nothing for them.
/// </summary>
internal static class StrategyMeter
{
    private static readonly Meter s_meter;

    /// <summary>The monotonic instruments: each reads one field of the statistics.</summary>
    private static readonly (string Name, string Unit, string Description, Func<StrategyStatistics, long> Read)[] s_counters =
    [
        (MemoryStrategyInstruments.Allocations, "{allocation}", "Allocations served.", static s => s.Allocations),
        (MemoryStrategyInstruments.FailedAllocations, "{allocation}",
            "Valid allocation requests the strategy could not serve (exhaustion).", static s => s.FailedAllocations),
        (MemoryStrategyInstruments.RefusedAllocations, "{allocation}",
            "Allocation requests refused before reaching the strategy: bad size, faulted or disposed strategy.", static s => s.RefusedAllocations),
        (MemoryStrategyInstruments.BytesRequested, "By", "Bytes requested by the allocations served.", static s => s.BytesRequested),
        (MemoryStrategyInstruments.Deallocations, "{deallocation}", "Valid deallocations.", static s => s.Deallocations),
        (MemoryStrategyInstruments.RefusedDeallocations, "{deallocation}",
            "Refused deallocations: double frees, foreign pointers, null, after dispose.", static s => s.RefusedDeallocations),
    ];

    /// <summary>An explicit static constructor: the meter is created exactly when <see cref="EnsureCreated"/> first runs.</summary>
    static StrategyMeter()
    {
        s_meter = new Meter(MemoryStrategyDiagnostics.MeterName, typeof(StrategyMeter).Assembly.GetName().Version?.ToString());
        foreach ((string name, string unit, string description, Func<StrategyStatistics, long> read) in s_counters)
        {
            s_meter.CreateObservableCounter(name, () => Observe(read), unit, description);
        }

        // Live blocks go down as well as up: an up-down counter, so consumers show its value rather than a rate.
        s_meter.CreateObservableUpDownCounter(
            MemoryStrategyInstruments.LiveAllocations, static () => Observe(static s => s.LiveAllocations),
            "{allocation}", "Blocks handed out and not yet returned.");
    }

    /// <summary>Creates the meter if it does not exist yet (the static constructor does the work).</summary>
    public static void EnsureCreated()
    {
    }

    /// <summary>
    /// One measurement per strategy name (and, for inner strategies, per owner and role): the sum of
    /// <paramref name="field"/> over the live trackers with those tags. A strategy that has been collected is no
    /// longer counted.
    /// </summary>
    private static Measurement<long>[] Observe(Func<StrategyStatistics, long> field)
    {
        Dictionary<(string Name, string? Owner, string? Role), long> sums = new();
        foreach (StatusTracker tracker in StrategyRegistry.LiveTrackers())
        {
            // Owner is read once (acquire): Role was written before the owner was published, so it is visible with it.
            StatusTracker? owner = tracker.Owner;
            (string, string?, string?) key = (tracker.Name, owner?.Name, owner is null ? null : tracker.Role);
            CollectionsMarshal.GetValueRefOrAddDefault(sums, key, out _) += field(tracker.GetStatistics());
        }

        Measurement<long>[] measurements = new Measurement<long>[sums.Count];
        int i = 0;
        foreach (KeyValuePair<(string Name, string? Owner, string? Role), long> sum in sums)
        {
            var strategy = new KeyValuePair<string, object?>(MemoryStrategyDiagnostics.StrategyTagName, sum.Key.Name);
            measurements[i++] = sum.Key.Owner is null
                ? new Measurement<long>(sum.Value, strategy)
                : new Measurement<long>(
                    sum.Value,
                    strategy,
                    new KeyValuePair<string, object?>(MemoryStrategyDiagnostics.OwnerTagName, sum.Key.Owner),
                    new KeyValuePair<string, object?>(MemoryStrategyDiagnostics.RoleTagName, sum.Key.Role));
        }

        return measurements;
    }
}
