namespace MemoryStrategy;

/// <summary>
/// The names of the instruments of the <see cref="MemoryStrategyDiagnostics.MeterName"/> meter. Each is observable
/// and, but for <see cref="RefusedNativeCalls"/>, reports one measurement per strategy name (tag
/// <see cref="MemoryStrategyDiagnostics.StrategyTagName"/>), read from <see cref="StrategyStatistics"/>.
/// </summary>
public static class MemoryStrategyInstruments
{
    /// <summary>Counter of allocations served (<see cref="StrategyStatistics.Allocations"/>).</summary>
    public const string Allocations = "memorystrategy.allocation.count";

    /// <summary>Counter of valid requests the strategy could not serve (<see cref="StrategyStatistics.FailedAllocations"/>).</summary>
    public const string FailedAllocations = "memorystrategy.allocation.failed";

    /// <summary>Counter of requests refused before reaching the core (<see cref="StrategyStatistics.RefusedAllocations"/>).</summary>
    public const string RefusedAllocations = "memorystrategy.allocation.refused";

    /// <summary>Up-down counter of blocks handed out and not yet returned (<see cref="StrategyStatistics.LiveAllocations"/>).</summary>
    public const string LiveAllocations = "memorystrategy.allocation.live";

    /// <summary>Counter of the bytes requested by the allocations served (<see cref="StrategyStatistics.BytesRequested"/>), unit <c>By</c>.</summary>
    public const string BytesRequested = "memorystrategy.allocation.bytes_requested";

    /// <summary>Counter of valid deallocations (<see cref="StrategyStatistics.Deallocations"/>).</summary>
    public const string Deallocations = "memorystrategy.deallocation.count";

    /// <summary>Counter of refused deallocations: double frees, foreign pointers, null (<see cref="StrategyStatistics.RefusedDeallocations"/>).</summary>
    public const string RefusedDeallocations = "memorystrategy.deallocation.refused";

    /// <summary>
    /// Counter of calls from C through a <c>MemoryStrategy</c> struct that reached no strategy (its handle disposed, or
    /// not a live struct of that strategy type): process-wide, one measurement per operation (tag
    /// <see cref="MemoryStrategyDiagnostics.OperationTagName"/>: <c>allocate</c> or <c>deallocate</c>), and no strategy
    /// tag, since no strategy received them (<c>NativeStrategyHandle.RefusedCalls</c>).
    /// </summary>
    public const string RefusedNativeCalls = "memorystrategy.native.call.refused";
}
