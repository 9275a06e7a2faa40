namespace MemoryStrategy.Reliability.Tests.Hostile;

/// <summary>
/// One hostile request: what it does to a strategy, the counters it must move (and no other), and the status the
/// strategy must be in afterwards.
/// </summary>
/// <param name="Name">What the request is, as the test shows it.</param>
/// <param name="Act">The request, made on a validated strategy; it returns whether each refusal it saw was reported as one.</param>
/// <param name="Expected">How the counters move.</param>
/// <param name="StatusAfter">The documented status afterwards.</param>
internal sealed record HostileCase(string Name, Func<EntryPoint, bool> Act, CounterDelta Expected, StrategyStatus StatusAfter = StrategyStatus.Ready)
{
    public override string ToString() => Name;
}

/// <summary>How much each counter moved.</summary>
internal readonly record struct CounterDelta(long Allocations = 0, long Deallocations = 0, long RefusedAllocations = 0, long RefusedDeallocations = 0, long FailedAllocations = 0)
{
    public static CounterDelta Between(StrategyStatistics before, StrategyStatistics after) => new(
        after.Allocations - before.Allocations,
        after.Deallocations - before.Deallocations,
        after.RefusedAllocations - before.RefusedAllocations,
        after.RefusedDeallocations - before.RefusedDeallocations,
        after.FailedAllocations - before.FailedAllocations);
}
