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

    /// <summary>
    /// On the measurements of an inner strategy (one held by another, see <see cref="StatusTracker.AttachTo"/>): the
    /// <see cref="StatusTracker.Name"/> of the strategy that holds it. Absent on strategies nothing holds.
    /// </summary>
    public const string OwnerTagName = "owner";

    /// <summary>
    /// On the measurements of an inner strategy: what it does for its owner (<see cref="StatusTracker.Role"/>, for
    /// example <c>"64 B"</c> for a size class or <c>"fallback"</c>).
    /// </summary>
    public const string RoleTagName = "role";

    /// <summary>
    /// On the measurements of <see cref="MemoryStrategyInstruments.RefusedNativeCalls"/>: the call that was refused,
    /// <c>"allocate"</c> or <c>"deallocate"</c>.
    /// </summary>
    public const string OperationTagName = "operation";
}
