using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// A <c>[Validate]</c> that calls back into its own strategy never recurses: a nested validation on the same thread
/// returns true without running the check again (the validation in progress decides), and a nested allocation or
/// free during the first validation is refused and counted. The first check runs once, however many threads race it.
/// </summary>
public sealed unsafe class ReentrantValidationTests
{
    [Fact]
    public void A_validate_that_validates_its_own_strategy_runs_once_and_sees_the_validation_in_progress()
    {
        using var strategy = new ReentrantStrategy { Action = ValidateAction.ValidateItself };

        Assert.True(strategy.Validate());
        Assert.Equal(1, strategy.ValidateCalls);
        Assert.True(strategy.NestedValidation);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());

        // A later validation (Ready) nests the same way.
        Assert.True(StrategyValidator.ValidateStrategy(strategy));
        Assert.Equal(2, strategy.ValidateCalls);
    }

    [Fact]
    public void An_allocation_from_inside_the_first_validation_is_refused_and_counted()
    {
        using var strategy = new ReentrantStrategy { Action = ValidateAction.AllocateFromItself };

        // The first allocation validates the strategy, whose check allocates from it.
        void* block = strategy.Allocate(32);

        Assert.True(block is not null, "the outer allocation is served once the validation completed");
        Assert.Equal(0, strategy.NestedAllocation);
        Assert.Equal(1, strategy.ValidateCalls);
        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((1, 1), (statistics.Allocations, statistics.RefusedAllocations));
        strategy.Deallocate(block);
    }

    [Fact]
    public void A_free_from_inside_the_first_validation_is_refused_and_counted()
    {
        using var strategy = new ReentrantStrategy { Action = ValidateAction.DeallocateToItself };

        Assert.True(strategy.Validate());

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((0, 1), (statistics.Deallocations, statistics.RefusedDeallocations));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Fact]
    public void Threads_racing_the_first_validation_run_the_check_once_and_share_its_outcome()
    {
        const int Racers = 6;
        using var strategy = new ReentrantStrategy { Action = ValidateAction.WaitForRacers, Racers = Racers };
        var results = new bool[Racers];
        var threads = Enumerable.Range(0, Racers).Select(i => new Thread(() =>
        {
            strategy.Arrive();
            results[i] = strategy.Validate();
        })).ToArray();

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(1, strategy.ValidateCalls);
        Assert.All(results, Assert.True);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Fact]
    public void An_ownership_test_that_asks_its_own_strategy_is_answered_false_inside_and_does_not_recurse()
    {
        using var guarded = new SelfAskingGuardedStrategy();
        void* block = guarded.Allocate(64);

        // The validator asks Owns, whose [Owns] asks the validator again: the inner question is refused, once.
        Assert.True(StrategyValidator.ValidateDeallocation(guarded, block));
        Assert.False(guarded.Nested);
        Assert.True(guarded.Owns(block));
        guarded.Deallocate(block);
        Assert.False(guarded.Owns(block));
        Assert.Equal(0, guarded.StatusTracker.GetStatistics().LiveAllocations);

        var unguarded = new SelfAskingUnguardedStrategy();
        void* other = unguarded.Allocate(64);
        Assert.True(unguarded.Owns(other));
        Assert.False(unguarded.Nested);
        Assert.True(StrategyValidator.ValidateDeallocation(unguarded, other)); // the test leaves nothing behind
        unguarded.Deallocate(other);
        unguarded.Dispose();
    }
}
