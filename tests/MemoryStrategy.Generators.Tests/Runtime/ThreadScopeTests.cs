using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// The generated <c>ForCurrentThread()</c> scope: the strategy's own checks and statistics, minus the per-call
/// thread-local lookup.
/// </summary>
public sealed unsafe class ThreadScopeTests
{
    [Fact]
    public void A_scope_allocates_and_frees_with_the_strategys_checks_and_statistics()
    {
        using var strategy = new OwningCoreStrategy();
        OwningCoreStrategy.ThreadScope scope = strategy.ForCurrentThread();

        void* block = scope.Allocate(64);
        Assert.True(block is not null);
        Assert.True(strategy.Owns(block));
        scope.Deallocate(block);
        scope.Deallocate(block);                  // a double free: the core refuses it
        Assert.True(scope.Allocate(0) is null);   // refused before the core
        Assert.True(scope.Allocate(2048) is null); // above MaxAllocationSize (1024)
        scope.Deallocate(null);

        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Allocations);
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(2, stats.RefusedDeallocations);
        Assert.Equal(2, stats.RefusedAllocations);
        Assert.Equal(64, stats.BytesRequested);
    }

    [Fact]
    public void The_first_call_through_a_scope_validates_the_strategy()
    {
        using var strategy = new OwningCoreStrategy();
        Assert.Equal(StrategyStatus.Uninitialized, strategy.GetStatus());

        void* block = strategy.ForCurrentThread().Allocate(16);

        Assert.True(block is not null);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        strategy.Deallocate(block);
    }

    [Fact]
    public void The_scope_passes_the_calling_threads_own_strategy_thread_to_the_cores()
    {
        using var strategy = new OwningCoreStrategy();
        OwningCoreStrategy.ThreadScope scope = strategy.ForCurrentThread();

        scope.Deallocate(scope.Allocate(8));

        StrategyThread mine = strategy.StatusTracker.CurrentThread;
        Assert.Equal(2, strategy.ThreadsSeen.Count);
        Assert.All(strategy.ThreadsSeen, seen => Assert.Same(mine, seen));
    }

    [Fact]
    public void After_dispose_a_scope_refuses_and_counts()
    {
        var strategy = new OwningCoreStrategy();
        OwningCoreStrategy.ThreadScope scope = strategy.ForCurrentThread();
        void* block = scope.Allocate(8);
        strategy.Dispose();

        Assert.True(scope.Allocate(8) is null);
        scope.Deallocate(block);   // freed by the cleanup already: refused, never reaches the core

        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.RefusedAllocations);
        Assert.Equal(1, stats.RefusedDeallocations);
        Assert.Equal(0, strategy.DeallocateCalls);
    }

    [Fact]
    public void A_core_exception_through_a_scope_faults_the_strategy_like_a_direct_call()
    {
        using var strategy = new OwningCoreStrategy();
        OwningCoreStrategy.ThreadScope scope = strategy.ForCurrentThread();
        void* block = scope.Allocate(8);
        strategy.ThrowOnDeallocate = new InvalidOperationException("core");

        try
        {
            scope.Deallocate(block);
            Assert.Fail("the core's exception must propagate");
        }
        catch (InvalidOperationException)
        {
        }

        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        scope.Deallocate(block);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().Deallocations);
    }

    [Fact]
    public void Scopes_on_different_threads_keep_separate_per_thread_state()
    {
        using var strategy = new OwningCoreStrategy();
        var counts = new int[2];

        Workers.Run(2, id =>
        {
            OwningCoreStrategy.ThreadScope scope = strategy.ForCurrentThread();
            for (int i = 0; i <= id; i++)
            {
                scope.Deallocate(scope.Allocate(8));
            }

            counts[id] = (int)strategy.StatusTracker.CurrentThread.State!;
        });

        // Each thread's core state counted only its own allocations.
        Assert.Equal([1, 2], counts);
        Assert.Equal(3, strategy.StatusTracker.GetStatistics().Allocations);
    }

    [Fact]
    public void A_default_scope_has_no_strategy()
    {
        Assert.Throws<NullReferenceException>(() => default(OwningCoreStrategy.ThreadScope).Allocate(8));
    }

    [Fact]
    public void A_scope_on_a_strategy_without_thread_aware_cores_works_the_same()
    {
        using var strategy = new UncheckedStrategy();
        UncheckedStrategy.ThreadScope scope = strategy.ForCurrentThread();

        void* block = scope.Allocate(32);
        scope.Deallocate(block);

        Assert.Equal([(nint)block], strategy.Freed);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().Deallocations);
        NativeMemory.Free(block);
    }
}
