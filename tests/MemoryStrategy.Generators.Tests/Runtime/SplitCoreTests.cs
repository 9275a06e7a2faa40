using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// Cores split into a fast half and a slow half (<c>[AllocateSlow]</c>, <c>[DeallocateSlow]</c>): the slow half runs
/// exactly when the fast one declines, and a request is counted once, whichever half served it. Each test runs on the
/// strategy without fault handlers (the slow halves out of line) and with them (in line).
/// </summary>
public sealed unsafe class SplitCoreTests
{
    public static TheoryData<bool> Guarded => [false, true];

    [Theory]
    [MemberData(nameof(Guarded))]
    public void The_slow_half_serves_only_what_the_fast_half_declines_and_each_request_counts_once(bool guarded)
    {
        using IMemoryStrategy strategy = Create(guarded, out SplitCoreBook book);
        void* fast = strategy.Allocate(32);
        book.FastServes = false;
        void* slow = strategy.Allocate(48);

        Assert.True(fast is not null && slow is not null);
        Assert.Equal((2, 1), (book.FastAllocations, book.SlowAllocations));

        strategy.Deallocate(slow);      // the fast free declines: the slow one takes it
        book.FastServes = true;
        strategy.Deallocate(fast);      // the fast free takes it: no slow call

        Assert.Equal((2, 1), (book.FastFrees, book.SlowFrees));
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(2, stats.Allocations);
        Assert.Equal(80, stats.BytesRequested);
        Assert.Equal(2, stats.Deallocations);
        Assert.Equal(0, stats.RefusedDeallocations);
        Assert.Equal(0, stats.LiveAllocations);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Theory]
    [MemberData(nameof(Guarded))]
    public void Exhaustion_is_the_slow_halfs_null_and_is_counted_as_a_failed_allocation(bool guarded)
    {
        using IMemoryStrategy strategy = Create(guarded, out SplitCoreBook book);
        book.FastServes = false;
        book.SlowBudget = 0;

        Assert.True(strategy.Allocate(16) is null);

        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.FailedAllocations);
        Assert.Equal(0, stats.Allocations);
        Assert.Equal(StrategyStatus.Degraded, strategy.GetStatus());

        // The next served request, by either half, leaves Degraded.
        book.SlowBudget = 1;
        void* block = strategy.Allocate(16);
        Assert.True(block is not null);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        strategy.Deallocate(block);
    }

    [Theory]
    [MemberData(nameof(Guarded))]
    public void A_pointer_both_halves_decline_is_refused_once(bool guarded)
    {
        using IMemoryStrategy strategy = Create(guarded, out SplitCoreBook book);
        void* block = strategy.Allocate(16);
        void* foreign = NativeMemory.Alloc(16);
        try
        {
            strategy.Deallocate(block);
            strategy.Deallocate(block);     // a double free: the fast half declines, the slow half refuses
            strategy.Deallocate(foreign);

            Assert.Equal((3, 2), (book.FastFrees, book.SlowFrees));
            StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
            Assert.Equal(1, stats.Deallocations);
            Assert.Equal(2, stats.RefusedDeallocations);
            Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        }
        finally
        {
            NativeMemory.Free(foreign);
        }
    }

    [Fact]
    public void The_nested_entry_points_call_the_slow_halves_too()
    {
        using var strategy = new SplitCoreStrategy();
        StrategyThread thread = strategy.StatusTracker.CurrentThread;
        strategy.Book.FastServes = false;

        void* block = strategy.AllocateNested(thread, 24, recordStatistics: true);
        Assert.True(block is not null);
        Assert.True(strategy.DeallocateNested(thread, block, recordStatistics: true));
        Assert.False(strategy.DeallocateNested(thread, block, recordStatistics: true));

        Assert.Equal((1, 1), (strategy.Book.FastAllocations, strategy.Book.SlowAllocations));
        Assert.Equal((2, 2), (strategy.Book.FastFrees, strategy.Book.SlowFrees));
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Allocations);
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(1, stats.RefusedDeallocations);
    }

    private static IMemoryStrategy Create(bool guarded, out SplitCoreBook book)
    {
        if (guarded)
        {
            var strategy = new GuardedSplitCoreStrategy();
            book = strategy.Book;
            return strategy;
        }

        var handlerFree = new SplitCoreStrategy();
        book = handlerFree.Book;
        return handlerFree;
    }
}
