using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>The generated <c>Validate</c>, <c>GetStatus</c> and <c>Dispose</c>: every status transition they make.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public void Validate_moves_uninitialized_to_ready_when_the_invariants_hold()
    {
        using var strategy = new ScriptedStrategy();

        Assert.True(strategy.Validate());

        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal(StrategyStatus.Ready, strategy.StatusTracker.Status);
    }

    [Fact]
    public void Validate_moves_uninitialized_to_faulted_when_the_invariants_fail()
    {
        using var strategy = new ScriptedStrategy { InvariantsHold = false };

        Assert.False(strategy.Validate());

        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Validate_faults_a_serving_strategy_whose_invariants_fail(bool degradedFirst)
    {
        using var strategy = new ScriptedStrategy();
        Assert.True(strategy.Validate());
        if (degradedFirst)
        {
            Assert.True(strategy.StatusTracker.TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded));
        }

        strategy.InvariantsHold = false;

        Assert.False(strategy.Validate());
        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
    }

    [Fact]
    public void Validate_runs_the_user_check_every_time_while_serving()
    {
        using var strategy = new ScriptedStrategy();

        Assert.True(strategy.Validate());
        Assert.True(strategy.Validate());
        Assert.True(StrategyValidator.ValidateStrategy(strategy));

        Assert.Equal(3, strategy.ValidateCalls);
    }

    [Fact]
    public void Validate_is_false_without_calling_the_user_check_once_faulted_or_disposed()
    {
        using var strategy = new ScriptedStrategy();
        Assert.True(strategy.Validate());
        Assert.True(strategy.StatusTracker.TryFault());

        Assert.False(strategy.Validate());
        strategy.Dispose();
        Assert.False(strategy.Validate());

        Assert.Equal(1, strategy.ValidateCalls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_throwing_validate_faults_the_strategy_and_propagates(bool initialised)
    {
        using var strategy = new ScriptedStrategy();
        if (initialised)
        {
            Assert.True(strategy.Validate());
        }

        strategy.ThrowOnValidate = true;

        Assert.Throws<CoreException>(() => strategy.Validate());
        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
    }

    [Fact]
    public void A_strategy_without_validate_marker_initialises_to_ready()
    {
        using var strategy = new TrackedPassThrough();

        Assert.True(strategy.Validate());
        Assert.True(strategy.Validate());
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Theory]
    [InlineData(StrategyStatus.Uninitialized)]
    [InlineData(StrategyStatus.Ready)]
    [InlineData(StrategyStatus.Degraded)]
    [InlineData(StrategyStatus.Faulted)]
    public void Dispose_from_any_status_runs_cleanup_once_and_is_terminal(StrategyStatus from)
    {
        var strategy = new ScriptedStrategy();
        MoveTo(strategy, from);

        strategy.Dispose();
        strategy.Dispose();

        Assert.Equal(StrategyStatus.Disposed, strategy.GetStatus());
        Assert.Equal(1, strategy.CleanupCalls);
        Assert.False(strategy.Validate());
        Assert.False(strategy.StatusTracker.TryTransition(StrategyStatus.Disposed, StrategyStatus.Ready));
    }

    [Fact]
    public unsafe void Cleanup_releases_the_blocks_still_live()
    {
        var strategy = new ScriptedStrategy();
        _ = strategy.Allocate(16);
        _ = strategy.Allocate(16);
        Assert.Equal(2, strategy.LiveBlocks);

        strategy.Dispose();

        Assert.Equal(0, strategy.LiveBlocks);
        Assert.Equal(2, strategy.StatusTracker.GetStatistics().LiveAllocations);
    }

    [Fact]
    public void Racing_disposes_run_the_cleanup_exactly_once()
    {
        for (int round = 0; round < 50; round++)
        {
            var strategy = new ScriptedStrategy();
            Assert.True(strategy.Validate());
            using var start = new Barrier(4);

            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
            {
                start.SignalAndWait();
                strategy.Dispose();
            });

            Assert.Equal(1, strategy.CleanupCalls);
        }
    }

    private static void MoveTo(ScriptedStrategy strategy, StrategyStatus status)
    {
        if (status == StrategyStatus.Uninitialized)
        {
            return;
        }

        Assert.True(strategy.Validate());
        if (status == StrategyStatus.Degraded)
        {
            Assert.True(strategy.StatusTracker.TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded));
        }
        else if (status == StrategyStatus.Faulted)
        {
            Assert.True(strategy.StatusTracker.TryFault());
        }

        Assert.Equal(status, strategy.GetStatus());
    }
}
