namespace MemoryStrategy;

/// <summary>The status state machine's table of legal transitions (documented on <see cref="StrategyStatus"/>).</summary>
public static class StatusTransitions
{
    /// <summary>Whether moving from <paramref name="from"/> to <paramref name="to"/> is a legal transition.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The wanted status.</param>
    /// <returns><see langword="true"/> for a legal transition; staying in the same status is not one.</returns>
    public static bool IsLegal(StrategyStatus from, StrategyStatus to) => (from, to) switch
    {
        (StrategyStatus.Uninitialized, StrategyStatus.Ready or StrategyStatus.Faulted or StrategyStatus.Disposed) => true,
        (StrategyStatus.Ready, StrategyStatus.Degraded or StrategyStatus.Faulted or StrategyStatus.Disposed) => true,
        (StrategyStatus.Degraded, StrategyStatus.Ready or StrategyStatus.Faulted or StrategyStatus.Disposed) => true,
        (StrategyStatus.Faulted, StrategyStatus.Disposed) => true,
        _ => false,
    };
}
