using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;

namespace MemoryStrategy;

/// <summary>
/// The <see cref="MemoryStrategyDiagnostics.MeterName"/> meter. Created by the first <see cref="StatusTracker"/>, so
/// a listener sees every strategy without the application opting in; its instruments are observable and read the
/// striped statistics only when a listener collects, so allocations pay nothing for them.
/// </summary>
internal static class StrategyMeter
{
    private static readonly Meter s_meter;

    /// <summary>An explicit static constructor: the meter is created exactly when <see cref="EnsureCreated"/> first runs.</summary>
    static StrategyMeter()
    {
        s_meter = new Meter(MemoryStrategyDiagnostics.MeterName, typeof(StrategyMeter).Assembly.GetName().Version?.ToString());

        s_meter.CreateObservableCounter(
            MemoryStrategyInstruments.Allocations, () => Observe(static s => s.Allocations),
            "{allocation}", "Allocations served.");
        s_meter.CreateObservableCounter(
            MemoryStrategyInstruments.FailedAllocations, () => Observe(static s => s.FailedAllocations),
            "{allocation}", "Valid allocation requests the strategy could not serve (exhaustion).");
        s_meter.CreateObservableCounter(
            MemoryStrategyInstruments.RefusedAllocations, () => Observe(static s => s.RefusedAllocations),
            "{allocation}", "Allocation requests refused before reaching the strategy: bad size, faulted or disposed strategy.");
        s_meter.CreateObservableUpDownCounter(
            MemoryStrategyInstruments.LiveAllocations, () => Observe(static s => s.LiveAllocations),
            "{allocation}", "Blocks handed out and not yet returned.");
        s_meter.CreateObservableCounter(
            MemoryStrategyInstruments.BytesRequested, () => Observe(static s => s.BytesRequested),
            "By", "Bytes requested by the allocations served.");
        s_meter.CreateObservableCounter(
            MemoryStrategyInstruments.Deallocations, () => Observe(static s => s.Deallocations),
            "{deallocation}", "Valid deallocations.");
        s_meter.CreateObservableCounter(
            MemoryStrategyInstruments.RefusedDeallocations, () => Observe(static s => s.RefusedDeallocations),
            "{deallocation}", "Refused deallocations: double frees, foreign pointers, null, after dispose.");
    }

    /// <summary>Creates the meter if it does not exist yet (the static constructor does the work).</summary>
    public static void EnsureCreated()
    {
    }

    /// <summary>
    /// One measurement per strategy name: the sum of <paramref name="field"/> over the live trackers with that name.
    /// A strategy that has been collected is no longer counted.
    /// </summary>
    private static Measurement<long>[] Observe(Func<StrategyStatistics, long> field)
    {
        Dictionary<string, long> sums = new(StringComparer.Ordinal);
        foreach (StatusTracker tracker in StrategyRegistry.LiveTrackers())
        {
            CollectionsMarshal.GetValueRefOrAddDefault(sums, tracker.Name, out _) += field(tracker.GetStatistics());
        }

        Measurement<long>[] measurements = new Measurement<long>[sums.Count];
        int i = 0;
        foreach (KeyValuePair<string, long> sum in sums)
        {
            measurements[i++] = new Measurement<long>(
                sum.Value, new KeyValuePair<string, object?>(MemoryStrategyDiagnostics.StrategyTagName, sum.Key));
        }

        return measurements;
    }
}
