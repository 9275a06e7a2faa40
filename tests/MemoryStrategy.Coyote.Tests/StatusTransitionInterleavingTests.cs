using Microsoft.Coyote.Specifications;

namespace MemoryStrategy.Coyote.Tests;

/// <summary>
/// The status tracker's transitions under every interleaving Coyote explores: each transition is one CAS, so of two
/// threads racing one transition exactly one wins, and a terminal status is never left.
/// </summary>
public sealed class StatusTransitionInterleavingTests(ITestOutputHelper output)
{
    [Fact]
    public void Two_threads_racing_the_same_transition_have_exactly_one_winner() => Systematic.Explore(output, 300, async () =>
    {
        var tracker = new StatusTracker("race");
        tracker.TryInitialize(true);
        int wins = 0;

        void Race()
        {
            if (tracker.TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded))
            {
                Interlocked.Increment(ref wins);
            }
        }

        await Task.WhenAll(Task.Run(Race), Task.Run(Race));

        Specification.Assert(wins == 1, $"{wins} threads won Ready -> Degraded");
        Specification.Assert(tracker.Status == StrategyStatus.Degraded, $"status {tracker.Status}");
    });

    [Fact]
    public void Dispose_racing_fault_and_recovery_ends_disposed_and_disposes_once() => Systematic.Explore(output, 300, async () =>
    {
        var tracker = new StatusTracker("race");
        tracker.TryInitialize(true);
        int disposals = 0;

        await Task.WhenAll(
            Task.Run(() =>
            {
                if (tracker.TryDispose())
                {
                    Interlocked.Increment(ref disposals);
                }
            }),
            Task.Run(() =>
            {
                tracker.RecordFailedAllocation();
                tracker.TryFault();
            }),
            Task.Run(() =>
            {
                if (tracker.TryDispose())
                {
                    Interlocked.Increment(ref disposals);
                }
            }));

        Specification.Assert(disposals == 1, $"{disposals} callers disposed");
        Specification.Assert(tracker.Status == StrategyStatus.Disposed, $"status {tracker.Status} after Dispose");
    });

    [Fact]
    public void The_first_validation_racing_itself_initialises_once() => Systematic.Explore(output, 300, async () =>
    {
        var tracker = new StatusTracker("race");
        bool[] serving = new bool[2];

        await Task.WhenAll(Task.Run(() => serving[0] = tracker.TryInitialize(true)), Task.Run(() => serving[1] = tracker.TryInitialize(true)));

        Specification.Assert(serving[0] && serving[1], "a racing first validation reported a strategy that does not serve");
        Specification.Assert(tracker.Status == StrategyStatus.Ready, $"status {tracker.Status}");
    });
}
