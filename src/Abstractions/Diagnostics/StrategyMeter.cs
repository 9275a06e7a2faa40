using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Threading;

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
            var series = new MonotonicSeries(read);
            s_meter.CreateObservableCounter(name, series.Observe, unit, description);
        }

        // Live blocks go down as well as up: an up-down counter, so consumers show its value rather than a rate. A
        // collected strategy's blocks are live nowhere any more: its share leaves the sum, with no carry-over.
        s_meter.CreateObservableUpDownCounter(
            MemoryStrategyInstruments.LiveAllocations,
            static () => ToMeasurements(Sum(static s => s.LiveAllocations, seen: null)),
            "{allocation}", "Blocks handed out and not yet returned.");

        // Calls from C that reached no strategy: process-wide counts, one series per operation.
        s_meter.CreateObservableCounter(
            MemoryStrategyInstruments.RefusedNativeCalls,
            static () => new[]
            {
                new Measurement<long>(NativeCallRefusals.Allocations, new KeyValuePair<string, object?>(MemoryStrategyDiagnostics.OperationTagName, "allocate")),
                new Measurement<long>(NativeCallRefusals.Deallocations, new KeyValuePair<string, object?>(MemoryStrategyDiagnostics.OperationTagName, "deallocate")),
            },
            "{call}", "Calls from C through a MemoryStrategy struct that reached no strategy: its handle disposed, or not a live struct of that strategy type.");
    }

    /// <summary>Creates the meter if it does not exist yet (the static constructor does the work).</summary>
    public static void EnsureCreated()
    {
    }

    /// <summary>
    /// The sum of <paramref name="field"/> per series (strategy name, and for inner strategies owner and role) over the
    /// live trackers; each tracker's own value goes to <paramref name="seen"/> when given, under its key (the object
    /// the thread lookups compare, which outlives the tracker without keeping it alive).
    /// </summary>
    private static Dictionary<SeriesKey, long> Sum(Func<StrategyStatistics, long> field, Dictionary<object, (SeriesKey Series, long Value)>? seen)
    {
        Dictionary<SeriesKey, long> sums = new();
        foreach (StatusTracker tracker in StrategyRegistry.LiveTrackers())
        {
            // Owner is read once (acquire): Role was written before the owner was published, so it is visible with it.
            StatusTracker? owner = tracker.Owner;
            var key = new SeriesKey(tracker.Name, owner?.Name, owner is null ? null : tracker.Role);
            long value = field(tracker.GetStatistics());
            CollectionsMarshal.GetValueRefOrAddDefault(sums, key, out _) += value;
            seen?.Add(tracker.Key, (key, value));
        }

        return sums;
    }

    /// <summary>One measurement per series, tagged with its strategy name (and owner and role).</summary>
    private static Measurement<long>[] ToMeasurements(Dictionary<SeriesKey, long> sums)
    {
        Measurement<long>[] measurements = new Measurement<long>[sums.Count];
        int i = 0;
        foreach (KeyValuePair<SeriesKey, long> sum in sums)
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

    /// <summary>A series: the strategy's name, and for an inner strategy its owner's name and its role there.</summary>
    private readonly record struct SeriesKey(string Name, string? Owner, string? Role);

    /// <summary>
    /// What a monotonic instrument reports per series: the live trackers' sum, plus the last values of the trackers of
    /// that series the garbage collector has reclaimed while others of the series live on. Without the carry-over, the
    /// series of several instances of one name went down when one of them was collected, which a consumer reads as a
    /// counter reset (and a rate computed across it as a large negative rate, or a restart). A series whose last tracker
    /// is collected ends, as before, and its carry-over goes with it: only live series are kept.
    /// </summary>
    /// <remarks>
    /// A tracker's counts after the last collection that saw it are not carried over (the values are what a listener
    /// last read), so a series can trail the true total by what its collected trackers did since; it never goes down
    /// for a collection. A tracker that moves to another series (attached to an owner after it counted) leaves its last
    /// value behind in the series it left, which keeps that series from going down too. Listeners may collect on several
    /// threads at once: the state is changed under a lock, per instrument, only while a listener collects.
    /// </remarks>
    private sealed class MonotonicSeries(Func<StrategyStatistics, long> field)
    {
        /// <summary>Per series, the last values of its collected (or departed) trackers.</summary>
        private readonly Dictionary<SeriesKey, long> _carried = new();

        /// <summary>Each tracker's series and value at the last collection, by its key (which does not keep it alive).</summary>
        private Dictionary<object, (SeriesKey Series, long Value)> _lastSeen = new(ReferenceEqualityComparer.Instance);

        private readonly Lock _gate = new();

        public Measurement<long>[] Observe()
        {
            lock (_gate)
            {
                var seen = new Dictionary<object, (SeriesKey Series, long Value)>(_lastSeen.Count, ReferenceEqualityComparer.Instance);
                Dictionary<SeriesKey, long> sums = Sum(field, seen);

                // A tracker seen before and gone now (collected), or now in another series: its last value stays in
                // the series it left, while that series has a live tracker to carry it.
                foreach (KeyValuePair<object, (SeriesKey Series, long Value)> before in _lastSeen)
                {
                    bool departed = !seen.TryGetValue(before.Key, out (SeriesKey Series, long Value) now) || now.Series != before.Value.Series;
                    if (departed && sums.ContainsKey(before.Value.Series))
                    {
                        CollectionsMarshal.GetValueRefOrAddDefault(_carried, before.Value.Series, out _) += before.Value.Value;
                    }
                }

                _lastSeen = seen;

                // A series with no live tracker has ended: its carry-over goes (the dictionary stays as small as the
                // live series).
                List<SeriesKey>? ended = null;
                foreach (KeyValuePair<SeriesKey, long> carried in _carried)
                {
                    if (sums.TryGetValue(carried.Key, out long sum))
                    {
                        sums[carried.Key] = sum + carried.Value;
                    }
                    else
                    {
                        (ended ??= []).Add(carried.Key);
                    }
                }

                foreach (SeriesKey key in ended ?? [])
                {
                    _carried.Remove(key);
                }

                return ToMeasurements(sums);
            }
        }
    }
}
