using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>The generated <c>Allocate</c>: lazy validation, every refusal with its counter, exhaustion, a throwing core.</summary>
public sealed unsafe class AllocateTests
{
    [Fact]
    public void First_allocation_validates_the_strategy_once_and_serves()
    {
        using var strategy = new ScriptedStrategy();
        Assert.Equal(StrategyStatus.Uninitialized, strategy.GetStatus());

        void* block = strategy.Allocate(64);

        Assert.True(block != null);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal(1, strategy.ValidateCalls);
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Allocations);
        Assert.Equal(64, stats.BytesRequested);
        Assert.Equal(1, stats.LiveAllocations);
        strategy.Deallocate(block);
    }

    [Fact]
    public void First_allocation_on_a_strategy_whose_invariants_fail_is_refused_and_faults_it()
    {
        using var strategy = new ScriptedStrategy { InvariantsHold = false };

        Assert.True(strategy.Allocate(64) == null);

        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        Assert.Equal(0, strategy.AllocateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedAllocations);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(257UL)]
    [InlineData(ulong.MaxValue)]
    public void Size_zero_or_above_the_limit_is_refused_and_counted_without_reaching_the_core(ulong size)
    {
        using var strategy = new ScriptedStrategy();
        Assert.True(strategy.Validate());

        Assert.True(strategy.Allocate((nuint)size) == null);

        Assert.Equal(0, strategy.AllocateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedAllocations);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Fact]
    public void Size_equal_to_the_limit_is_served()
    {
        using var strategy = new ScriptedStrategy();

        void* block = strategy.Allocate(256);

        Assert.True(block != null);
        Assert.Equal((nuint)256, strategy.MaxAllocationSize);
        strategy.Deallocate(block);
    }

    [Fact]
    public void Exhaustion_is_counted_as_failed_and_degrades_until_the_next_success()
    {
        using var strategy = new ScriptedStrategy();
        Assert.True(strategy.Validate());
        strategy.ReturnNull = true;

        Assert.True(strategy.Allocate(16) == null);
        Assert.Equal(StrategyStatus.Degraded, strategy.GetStatus());
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().FailedAllocations);

        strategy.ReturnNull = false;
        void* block = strategy.Allocate(16);
        Assert.True(block != null);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        strategy.Deallocate(block);
    }

    [Fact]
    public void A_throwing_core_faults_the_strategy_and_its_exception_propagates()
    {
        using var strategy = new ScriptedStrategy { ThrowOnAllocate = true };
        Assert.True(strategy.Validate());

        CoreException thrown = Assert.Throws<CoreException>(() => strategy.Allocate(16));

        Assert.Contains("allocate", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        strategy.ThrowOnAllocate = false;
        Assert.True(strategy.Allocate(16) == null);
        Assert.Equal(1, strategy.AllocateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedAllocations);
    }

    [Fact]
    public void Allocation_after_dispose_is_refused_and_counted()
    {
        var strategy = new ScriptedStrategy();
        Assert.True(strategy.Validate());
        strategy.Dispose();

        Assert.True(strategy.Allocate(16) == null);

        Assert.Equal(0, strategy.AllocateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedAllocations);
    }

    [Fact]
    public void Attribute_values_reach_the_generated_members()
    {
        using var scripted = new ScriptedStrategy();
        using var unchecked_ = new UncheckedStrategy();

        Assert.Equal("Scripted", scripted.StatusTracker.Name);
        Assert.Equal((nuint)256, scripted.MaxAllocationSize);
        Assert.Equal(nameof(UncheckedStrategy), unchecked_.StatusTracker.Name);
        Assert.Equal((nuint)MemoryStrategyAttribute.DefaultMaxAllocationSize, unchecked_.MaxAllocationSize);
    }

    [Fact]
    public void Racing_first_allocations_all_see_one_initialisation()
    {
        using var strategy = new ScriptedStrategy();
        using var start = new Barrier(4);
        var blocks = new nint[4];

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            start.SignalAndWait();
            blocks[i] = (nint)strategy.Allocate(32);
        });

        Assert.All(blocks, block => Assert.NotEqual(0, block));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.InRange(strategy.ValidateCalls, 1, 4);
        Assert.Equal(4, strategy.StatusTracker.GetStatistics().Allocations);
        foreach (nint block in blocks)
        {
            strategy.Deallocate((void*)block);
        }
    }
}
