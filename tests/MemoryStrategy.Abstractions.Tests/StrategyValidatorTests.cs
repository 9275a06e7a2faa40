using System.Runtime.InteropServices;

namespace MemoryStrategy.Abstractions.Tests;

public unsafe class StrategyValidatorTests
{
    [Fact]
    public void A_null_strategy_fails_every_validator()
    {
        int local = 0;
        Assert.False(StrategyValidator.ValidateStrategy(null));
        Assert.False(StrategyValidator.ValidateAllocation(null, 16));
        Assert.False(StrategyValidator.ValidateDeallocation(null, &local));
    }

    [Fact]
    public void A_healthy_strategy_validates_and_its_first_validation_initialises_it()
    {
        using var strategy = new FakeStrategy();
        Assert.Equal(StrategyStatus.Uninitialized, strategy.GetStatus());

        Assert.True(StrategyValidator.ValidateStrategy(strategy));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(4096, true)]
    [InlineData(4097, false)]
    public void Allocation_sizes_are_checked_against_the_limit(ulong size, bool expected)
    {
        using var strategy = new FakeStrategy(4096);
        Assert.Equal(expected, StrategyValidator.ValidateAllocation(strategy, (nuint)size));
    }

    [Fact]
    public void The_largest_size_is_refused()
    {
        using var strategy = new FakeStrategy(nuint.MaxValue - 1);
        Assert.False(StrategyValidator.ValidateAllocation(strategy, nuint.MaxValue));
        Assert.True(StrategyValidator.IsValidSize(nuint.MaxValue - 1, nuint.MaxValue - 1));
        Assert.False(StrategyValidator.IsValidSize(0, nuint.MaxValue));
    }

    [Fact]
    public void Deallocation_validation_accepts_only_live_pointers_of_the_strategy()
    {
        using var strategy = new FakeStrategy();
        using var other = new FakeStrategy();
        void* mine = strategy.Allocate(64);
        void* theirs = other.Allocate(64);
        void* native = NativeMemory.Alloc(64);
        int onStack = 0;
        try
        {
            Assert.True(StrategyValidator.ValidateDeallocation(strategy, mine));
            Assert.False(StrategyValidator.ValidateDeallocation(strategy, null));
            Assert.False(StrategyValidator.ValidateDeallocation(strategy, theirs));
            Assert.False(StrategyValidator.ValidateDeallocation(strategy, native));
            Assert.False(StrategyValidator.ValidateDeallocation(strategy, &onStack));
            Assert.False(StrategyValidator.ValidateDeallocation(strategy, (byte*)mine + 1));

            strategy.Deallocate(mine);
            Assert.False(StrategyValidator.ValidateDeallocation(strategy, mine));
        }
        finally
        {
            NativeMemory.Free(native);
            other.Deallocate(theirs);
        }
    }

    [Fact]
    public void A_disposed_strategy_fails_every_validator()
    {
        var strategy = new FakeStrategy();
        void* ptr = strategy.Allocate(64);
        Assert.True(StrategyValidator.ValidateDeallocation(strategy, ptr));
        strategy.Dispose();

        Assert.False(StrategyValidator.ValidateStrategy(strategy));
        Assert.False(StrategyValidator.ValidateAllocation(strategy, 16));
        Assert.False(StrategyValidator.ValidateDeallocation(strategy, ptr));
    }

    [Fact]
    public void A_faulted_strategy_fails_every_validator()
    {
        using var strategy = new FakeStrategy { InvariantsHold = false };
        int local = 0;

        Assert.False(StrategyValidator.ValidateStrategy(strategy));
        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        Assert.False(StrategyValidator.ValidateAllocation(strategy, 16));
        Assert.False(StrategyValidator.ValidateDeallocation(strategy, &local));
    }

    [Fact]
    public void A_strategy_whose_invariants_break_later_stops_validating()
    {
        using var strategy = new FakeStrategy();
        Assert.True(StrategyValidator.ValidateStrategy(strategy));

        strategy.InvariantsHold = false;
        Assert.False(StrategyValidator.ValidateStrategy(strategy));
        Assert.False(StrategyValidator.ValidateAllocation(strategy, 16));
    }

    [Fact]
    public void Validators_record_nothing()
    {
        using var strategy = new FakeStrategy();
        int local = 0;
        StrategyValidator.ValidateAllocation(strategy, 0);
        StrategyValidator.ValidateAllocation(strategy, 1 << 20);
        StrategyValidator.ValidateDeallocation(strategy, &local);

        Assert.Equal(default(StrategyStatistics), strategy.StatusTracker.GetStatistics());
    }
}
