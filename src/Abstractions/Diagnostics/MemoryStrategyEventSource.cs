using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace MemoryStrategy;

/// <summary>
/// The <see cref="MemoryStrategyDiagnostics.EventSourceName"/> event source: what a production incident needs to
/// trace — a strategy that faulted, every refused deallocation (double free, foreign pointer) with its reason, and every
/// call from C that reached no strategy (a call after its struct's handle was disposed).
/// </summary>
/// <remarks>
/// <para>
/// The events carry no keywords, on purpose: an EventPipe session that names the provider without keywords
/// (<c>dotnet-trace collect --providers MemoryStrategy</c>) only receives keyword-less events. Filter by level instead:
/// faults are <see cref="EventLevel.Error"/>, refused deallocations <see cref="EventLevel.Warning"/>.
/// </para>
/// <para>
/// Every event comes from a path that is already off the allocation fast path (a fault, a refusal). When no session
/// listens, each costs one <see cref="EventSource.IsEnabled(EventLevel, EventKeywords)"/> check.
/// </para>
/// </remarks>
[EventSource(Name = MemoryStrategyDiagnostics.EventSourceName)]
internal sealed class MemoryStrategyEventSource : EventSource
{
    public const int StrategyFaultedEventId = 1;
    public const int DeallocationRefusedEventId = 2;
    public const int NativeCallRefusedEventId = 3;

    public static readonly MemoryStrategyEventSource Log = new();

    private MemoryStrategyEventSource()
    {
    }

    /// <summary>Writes <see cref="StrategyFaulted"/> if a session listens.</summary>
    [NonEvent]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReportFaulted(string strategyName, StrategyStatus previousStatus)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.None))
        {
            StrategyFaulted(strategyName, previousStatus);
        }
    }

    /// <summary>Writes <see cref="DeallocationRefused"/> if a session listens.</summary>
    [NonEvent]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReportDeallocationRefused(string strategyName, DeallocationRefusal reason)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.None))
        {
            DeallocationRefused(strategyName, reason);
        }
    }

    [Event(StrategyFaultedEventId, Level = EventLevel.Error,
        Message = "Strategy {0} moved from {1} to Faulted: it refuses every further allocation.")]
    private void StrategyFaulted(string strategyName, StrategyStatus previousStatus) =>
        WriteEvent(StrategyFaultedEventId, strategyName, (int)previousStatus);

    /// <summary>Writes <see cref="NativeCallRefused"/> if a session listens.</summary>
    [NonEvent]
    public void ReportNativeCallRefused(nint structAddress, string operation)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.None))
        {
            NativeCallRefused((ulong)structAddress, operation);
        }
    }

    [Event(NativeCallRefusedEventId, Level = EventLevel.Warning,
        Message = "A call from C ({1}) through the MemoryStrategy struct at 0x{0:X} reached no strategy: its handle was disposed, or the struct is not a live one of that strategy type.")]
    private void NativeCallRefused(ulong structAddress, string operation) =>
        WriteEvent(NativeCallRefusedEventId, structAddress, operation);

    [Event(DeallocationRefusedEventId, Level = EventLevel.Warning,
        Message = "Strategy {0} refused a deallocation: {1}.")]
    private void DeallocationRefused(string strategyName, DeallocationRefusal reason) =>
        WriteEvent(DeallocationRefusedEventId, strategyName, (int)reason);
}
