using System.Diagnostics.Metrics;

namespace MemoryStrategy.Runtime.Tests;

/// <summary>
/// A <see cref="MeterListener"/> on the MemoryStrategy meter that collects on demand and keeps the measurements
/// tagged with one strategy name. The meter is process-wide and tests run in parallel, so each test looks only at
/// its own strategy's series.
/// </summary>
internal sealed class MeterProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _strategyName;
    private readonly Lock _gate = new();
    private readonly List<Instrument> _instruments = [];
    private readonly List<(string Instrument, long Value)> _measurements = [];

    public MeterProbe(string strategyName)
    {
        _strategyName = strategyName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MemoryStrategyDiagnostics.MeterName)
            {
                lock (_gate)
                {
                    _instruments.Add(instrument);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The meter's instruments this listener was told about.</summary>
    public IReadOnlyList<Instrument> Instruments
    {
        get
        {
            lock (_gate)
            {
                return [.. _instruments];
            }
        }
    }

    /// <summary>
    /// Runs every observable callback once and returns this strategy's measurements, one list entry per measurement
    /// (so a duplicated series shows as two entries).
    /// </summary>
    public IReadOnlyList<(string Instrument, long Value)> CollectAll()
    {
        lock (_gate)
        {
            _measurements.Clear();
        }

        _listener.RecordObservableInstruments();
        lock (_gate)
        {
            return [.. _measurements];
        }
    }

    /// <summary>Collects and returns this strategy's value per instrument name; throws on a duplicated series.</summary>
    public Dictionary<string, long> Collect() => CollectAll().ToDictionary(m => m.Instrument, m => m.Value);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == MemoryStrategyDiagnostics.StrategyTagName && Equals(tag.Value, _strategyName))
            {
                lock (_gate)
                {
                    _measurements.Add((instrument.Name, value));
                }
            }
        }
    }
}
