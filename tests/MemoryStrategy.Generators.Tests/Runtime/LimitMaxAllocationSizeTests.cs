using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>The generated <c>LimitMaxAllocationSize</c>: one instance's limit, lowered at construction, never raised.</summary>
public sealed unsafe class LimitMaxAllocationSizeTests
{
    [Fact]
    public void A_lowered_limit_refuses_larger_sizes_before_the_core()
    {
        using var strategy = new LimitedStrategy(100);

        Assert.Equal((nuint)100, strategy.MaxAllocationSize);
        Assert.True(strategy.Allocate(101) is null);
        void* block = strategy.Allocate(100);
        Assert.True(block is not null);
        strategy.Deallocate(block);

        Assert.Equal([(nuint)100], strategy.SizesServed);
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.RefusedAllocations);
        Assert.Equal(0, stats.FailedAllocations);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.False(StrategyValidator.ValidateAllocation(strategy, 101));
        Assert.True(StrategyValidator.ValidateAllocation(strategy, 100));
    }

    [Fact]
    public void The_limit_is_never_raised_above_the_attribute()
    {
        using var strategy = new LimitedStrategy(1 << 20);

        Assert.Equal((nuint)4096, strategy.MaxAllocationSize);
        Assert.True(strategy.Allocate(4097) is null);
    }

    [Fact]
    public void Zero_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LimitedStrategy(0));
    }

    [Fact]
    public void After_the_strategy_is_in_use_the_limit_cannot_change()
    {
        using var strategy = new LimitedStrategy(100);
        Assert.True(strategy.Validate());

        Assert.Throws<InvalidOperationException>(() => strategy.LimitAgain(50));
        Assert.Equal((nuint)100, strategy.MaxAllocationSize);
    }
}
