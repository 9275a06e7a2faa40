using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// The hot-path core signatures: a <c>bool</c> <c>[Deallocate]</c> decides ownership itself (no <c>[Owns]</c> call per
/// free), and cores that take a <see cref="StrategyThread"/> receive the calling thread's own object.
/// </summary>
public sealed unsafe class OwningCoreTests
{
    [Fact]
    public void A_block_the_core_takes_is_counted_and_owns_is_not_asked()
    {
        using var strategy = new OwningCoreStrategy();
        void* block = strategy.Allocate(64);

        strategy.Deallocate(block);

        Assert.Equal(1, strategy.DeallocateCalls);
        Assert.Equal(0, strategy.OwnsCalls);
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(0, stats.RefusedDeallocations);
        Assert.Equal(0, stats.LiveAllocations);
    }

    [Fact]
    public void A_pointer_the_core_refuses_is_counted_as_refused_not_as_a_deallocation()
    {
        using var strategy = new OwningCoreStrategy();
        void* block = strategy.Allocate(64);
        void* foreign = NativeMemory.Alloc(16);
        try
        {
            strategy.Deallocate(block);
            strategy.Deallocate(block);     // a double free: the core says no
            strategy.Deallocate(foreign);   // never allocated here

            Assert.Equal(3, strategy.DeallocateCalls);
            StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
            Assert.Equal(1, stats.Deallocations);
            Assert.Equal(2, stats.RefusedDeallocations);
            Assert.Equal(0, stats.LiveAllocations);
            Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        }
        finally
        {
            NativeMemory.Free(foreign);
        }
    }

    // With TrackAllocations the registry decides first, so a core that refuses a block the registry held live disagrees
    // with it: the block must stay tracked (the core still holds it) and the strategy must fault, not carry on.
    [Fact]
    public void A_core_that_refuses_a_tracked_block_faults_and_the_block_stays_tracked()
    {
        using var strategy = new TrackedOwningStrategy();
        void* block = strategy.Allocate(64);
        strategy.RefuseNext = true;

        strategy.Deallocate(block);

        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        Assert.True(strategy.Owns(block));
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal((0L, 1L, 1L), (stats.Deallocations, stats.RefusedDeallocations, stats.LiveAllocations));

        // A faulted strategy still takes blocks back, and the registry still knows this one.
        strategy.Deallocate(block);
        Assert.Equal(2, strategy.DeallocateCalls);
        Assert.False(strategy.Owns(block));
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().Deallocations);
    }

    [Fact]
    public void Null_never_reaches_the_core()
    {
        using var strategy = new OwningCoreStrategy();
        Assert.True(strategy.Validate());

        strategy.Deallocate(null);

        Assert.Equal(0, strategy.DeallocateCalls);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
    }

    [Fact]
    public void A_throwing_core_faults_the_strategy_and_the_exception_propagates()
    {
        using var strategy = new OwningCoreStrategy();
        void* block = strategy.Allocate(64);
        var thrown = new InvalidOperationException("core failure");
        strategy.ThrowOnDeallocate = thrown;

        InvalidOperationException caught = Assert.Throws<InvalidOperationException>(() => strategy.Deallocate(block));

        Assert.Same(thrown, caught);
        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());

        // A faulted strategy still takes blocks back.
        strategy.Deallocate(block);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().Deallocations);
    }

    [Fact]
    public void The_cores_receive_the_calling_threads_own_strategy_thread()
    {
        using var strategy = new OwningCoreStrategy();
        void* first = strategy.Allocate(32);
        strategy.Deallocate(first);

        StrategyThread mine = strategy.StatusTracker.CurrentThread;
        Assert.All(strategy.ThreadsSeen, seen => Assert.Same(mine, seen));
        Assert.Equal(1, mine.State);

        StrategyThread? other = null;
        var worker = new Thread(() =>
        {
            strategy.Deallocate(strategy.Allocate(32));
            other = strategy.StatusTracker.CurrentThread;
        });
        worker.Start();
        worker.Join();

        Assert.NotNull(other);
        Assert.NotSame(mine, other);
        Assert.Same(other, strategy.ThreadsSeen[^1]);

        // Each thread's state is its own: the worker's count did not touch this thread's.
        Assert.Equal(1, mine.State);
        Assert.Equal(4, strategy.ThreadsSeen.Count);
    }
}
