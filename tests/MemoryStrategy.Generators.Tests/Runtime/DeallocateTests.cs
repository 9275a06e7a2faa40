using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>The generated <c>Deallocate</c> and <c>Owns</c>: what is refused, what reaches the core, and what is counted.</summary>
public sealed unsafe class DeallocateTests
{
    [Fact]
    public void A_live_block_is_returned_to_the_core_and_counted()
    {
        using var strategy = new ScriptedStrategy();
        void* block = strategy.Allocate(32);

        Assert.True(strategy.Owns(block));
        strategy.Deallocate(block);

        Assert.Equal(1, strategy.DeallocateCalls);
        Assert.False(strategy.Owns(block));
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(0, stats.LiveAllocations);
    }

    [Fact]
    public void Null_is_refused_and_counted_without_reaching_the_core()
    {
        using var strategy = new ScriptedStrategy();
        Assert.True(strategy.Validate());

        strategy.Deallocate(null);

        Assert.Equal(0, strategy.DeallocateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.False(strategy.Owns(null));
    }

    [Fact]
    public void Foreign_stack_and_interior_pointers_are_refused_through_owns()
    {
        using var strategy = new ScriptedStrategy();
        byte* block = (byte*)strategy.Allocate(64);
        void* foreign = NativeMemory.Alloc(16);
        int local = 0;
        try
        {
            strategy.Deallocate(foreign);
            strategy.Deallocate(&local);
            strategy.Deallocate(block + 8);

            Assert.Equal(0, strategy.DeallocateCalls);
            Assert.Equal(3, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
            Assert.True(strategy.Owns(block));
        }
        finally
        {
            NativeMemory.Free(foreign);
            strategy.Deallocate(block);
        }
    }

    [Fact]
    public void A_double_free_is_refused_the_second_time()
    {
        using var strategy = new ScriptedStrategy();
        void* block = strategy.Allocate(32);

        strategy.Deallocate(block);
        strategy.Deallocate(block);

        Assert.Equal(1, strategy.DeallocateCalls);
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(1, stats.RefusedDeallocations);
    }

    [Fact]
    public void A_faulted_strategy_still_takes_its_blocks_back()
    {
        using var strategy = new ScriptedStrategy();
        void* block = strategy.Allocate(32);
        Assert.True(strategy.StatusTracker.TryFault());

        strategy.Deallocate(block);

        Assert.Equal(1, strategy.DeallocateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().Deallocations);
        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
    }

    [Fact]
    public void Deallocation_after_dispose_is_refused_and_counted()
    {
        var strategy = new ScriptedStrategy();
        void* block = strategy.Allocate(32);
        strategy.Dispose();

        strategy.Deallocate(block);

        Assert.Equal(0, strategy.DeallocateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.False(strategy.Owns(block));
    }

    [Fact]
    public void Deallocation_on_an_uninitialized_strategy_validates_it_first()
    {
        using var strategy = new ScriptedStrategy();
        int local = 0;

        strategy.Deallocate(&local);

        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal(1, strategy.ValidateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
    }

    [Fact]
    public void A_throwing_core_deallocate_faults_the_strategy_and_propagates()
    {
        using var strategy = new ScriptedStrategy();
        void* block = strategy.Allocate(32);
        strategy.ThrowOnDeallocate = true;

        Assert.Throws<CoreException>(() => strategy.Deallocate(block));

        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        Assert.Equal(0, strategy.StatusTracker.GetStatistics().Deallocations);
    }

    [Fact]
    public void Without_owns_or_tracking_only_null_is_refused()
    {
        using var strategy = new UncheckedStrategy();
        int local = 0;
        void* block = strategy.Allocate(8);

        strategy.Deallocate(null);
        strategy.Deallocate(&local);
        strategy.Deallocate(block);

        // MEM3002 warns about this shape: the stack pointer reached the core.
        Assert.Equal([(nint)(&local), (nint)block], strategy.Freed);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.False(strategy.Owns(block));
        NativeMemory.Free(block);
    }

    [Fact]
    public void The_validator_accepts_exactly_the_live_blocks()
    {
        using var strategy = new ScriptedStrategy();
        void* block = strategy.Allocate(32);
        int local = 0;

        Assert.True(StrategyValidator.ValidateDeallocation(strategy, block));
        Assert.False(StrategyValidator.ValidateDeallocation(strategy, &local));
        strategy.Deallocate(block);
        Assert.False(StrategyValidator.ValidateDeallocation(strategy, block));
    }
}
