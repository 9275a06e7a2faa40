namespace MemoryStrategy;

/// <summary>
/// The names under which strategies publish their metrics and events, for configuring a listener
/// (<c>dotnet-counters monitor --counters MemoryStrategy</c>, <c>dotnet-trace collect --providers MemoryStrategy</c>,
/// OpenTelemetry's <c>AddMeter(MemoryStrategyDiagnostics.MeterName)</c>).
/// </summary>
/// <remarks>
/// Nothing needs enabling: the meter is created with the first <see cref="StatusTracker"/>, and costs nothing
/// until a listener collects it (its instruments are observable: read from <see cref="StatusTracker.GetStatistics"/>
/// when collected, never written on an allocation). The event source writes only while a session has enabled it.
/// </remarks>
public static class MemoryStrategyDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> that publishes every strategy's statistics.</summary>
    public const string MeterName = "MemoryStrategy";

    /// <summary>The name of the <see cref="System.Diagnostics.Tracing.EventSource"/> that reports faults and refused deallocations.</summary>
    public const string EventSourceName = "MemoryStrategy";

    /// <summary>
    /// The tag that carries the strategy's <see cref="StatusTracker.Name"/> on every measurement. Live strategies that
    /// share a name are summed into one series.
    /// </summary>
    public const string StrategyTagName = "strategy";
}
