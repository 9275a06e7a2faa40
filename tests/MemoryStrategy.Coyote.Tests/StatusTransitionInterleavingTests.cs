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
    public void An_inner_strategy_faulting_while_it_is_attached_is_counted_once() => Systematic.ExploreAtomics(output, 300, async () =>
    {
        // Each side writes its word with a CAS, then reads the other's: whichever comes first, at least one side sees
        // the failure and exactly one counts it.
        var owner = new StatusTracker("owner");
        var inner = new StatusTracker("inner");
        inner.TryInitialize(true);

        await Task.WhenAll(Task.Run(() => inner.AttachTo(owner, "inner")), Task.Run(() => inner.TryFault()));

        Specification.Assert(owner.FailedInnerStrategies == 1, $"{owner.FailedInnerStrategies} failures counted for one faulted inner strategy");
    });

    [Fact]
    public void An_inner_strategy_disposed_while_it_is_attached_is_counted_once_if_the_attach_went_through() => Systematic.ExploreAtomics(output, 300, async () =>
    {
        // Disposed before the attach read the status: the attach is refused and nothing is counted. Otherwise the
        // strategy is held; a dispose that came after is refused while the owner lives, or counted if it won first.
        var owner = new StatusTracker("owner");
        var inner = new StatusTracker("inner");
        inner.TryInitialize(true);
        bool attached = false;

        await Task.WhenAll(
            Task.Run(() =>
            {
                try
                {
                    inner.AttachTo(owner, "inner");
                    attached = true;
                }
                catch (ObjectDisposedException)
                {
                }
            }),
            Task.Run(() =>
            {
                try
                {
                    inner.TryDispose();
                }
                catch (InvalidOperationException)
                {
                }
            }));

        int expected = attached && inner.Status == StrategyStatus.Disposed ? 1 : 0;
        Specification.Assert(owner.FailedInnerStrategies == expected, $"{owner.FailedInnerStrategies} failures counted (attached: {attached}, status {inner.Status})");
    });

    [Fact]
    public void Two_strategies_attaching_to_each_other_at_once_never_close_a_cycle() => Systematic.ExploreAtomics(output, 300, async () =>
    {
        // Each attach checks the other's owner chain, then writes its own owner: without one lock around both, each
        // could pass its check before the other's write, and the two would hold each other.
        var a = new StatusTracker("a");
        var b = new StatusTracker("b");
        int attached = 0;

        await Task.WhenAll(Task.Run(() => Attach(a, b)), Task.Run(() => Attach(b, a)));

        Specification.Assert(attached == 1, $"{attached} of two opposite attaches went through");
        Specification.Assert(a.Owner is null || b.Owner is null, "a and b hold each other");

        void Attach(StatusTracker inner, StatusTracker owner)
        {
            try
            {
                inner.AttachTo(owner, "inner");
                Interlocked.Increment(ref attached);
            }
            catch (InvalidOperationException)
            {
            }
        }
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
