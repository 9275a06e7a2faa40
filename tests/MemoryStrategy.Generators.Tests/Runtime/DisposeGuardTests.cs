using System.Runtime.CompilerServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// A strategy with a <c>[Cleanup]</c> never releases its memory under a call in flight: <c>Dispose</c> waits for the calls
/// that were admitted before it, and every call that begins after it is refused and counted.
/// </summary>
public sealed unsafe class DisposeGuardTests
{
    [Fact]
    public void Dispose_waits_for_a_call_inside_the_core_before_the_cleanup_runs()
    {
        var strategy = new GateStrategy();
        Thread caller = StartACallHeldInsideTheCore(strategy, out StrongBox<nint> block);

        var disposer = new Thread(strategy.Dispose);
        disposer.Start();
        SpinWait.SpinUntil(() => strategy.GetStatus() == StrategyStatus.Disposed);

        // The disposer has made the status Disposed; the cleanup must still wait for the call inside the core.
        Assert.False(disposer.Join(200), "Dispose returned while a call was still inside the core");
        Assert.Equal(0, strategy.Cleanups);

        strategy.Open();
        caller.Join();
        disposer.Join();
        Assert.Equal(1, strategy.Cleanups);
        Assert.Equal(0, strategy.CleanupsDuringACall);
        Assert.True(block.Value != 0, "the call admitted before Dispose completed");

        // Calls that begin after Dispose are refused and counted; the block freed now is refused (it stays the caller's).
        Assert.True(strategy.Allocate(64) is null);
        strategy.Deallocate((void*)block.Value);
        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((1, 1, 1, 0), (statistics.Allocations, statistics.RefusedAllocations, statistics.RefusedDeallocations, (int)statistics.Deallocations));
        System.Runtime.InteropServices.NativeMemory.Free((void*)block.Value);
    }

    [Fact]
    public void An_interrupt_that_reaches_the_wait_for_a_call_is_raised_only_after_the_cleanup()
    {
        // The disposing thread is interrupted while Dispose waits for a call inside the core. The wait keeps the
        // interrupt; raised again before the cleanup, it threw out of the cleanup's first sleep, which never finished.
        var strategy = new GateStrategy { SleepInCleanup = true };
        Thread caller = StartACallHeldInsideTheCore(strategy, out StrongBox<nint> block);

        Exception? failure = null;
        bool interruptRaisedAfter = false;
        var disposer = new Thread(() =>
        {
            try
            {
                Thread.CurrentThread.Interrupt();
                strategy.Dispose();
                try
                {
                    Thread.Sleep(1);
                }
                catch (ThreadInterruptedException)
                {
                    interruptRaisedAfter = true;
                }
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        disposer.Start();
        SpinWait.SpinUntil(() => strategy.GetStatus() == StrategyStatus.Disposed);

        // Long enough for the waiting disposer to reach the sleeps of its spin, where the interrupt is met.
        Thread.Sleep(200);
        strategy.Open();
        caller.Join();
        disposer.Join();

        Assert.Null(failure);
        Assert.Equal(1, strategy.Cleanups);
        Assert.True(interruptRaisedAfter, "the interrupt was swallowed instead of raised again after the cleanup");
        System.Runtime.InteropServices.NativeMemory.Free((void*)block.Value);
    }

    /// <summary>
    /// Validates <paramref name="strategy"/>, then starts a thread whose allocation waits inside the core until the
    /// test opens the gate; returns once the call is inside. <paramref name="block"/> receives the block it returns.
    /// </summary>
    private static Thread StartACallHeldInsideTheCore(GateStrategy strategy, out StrongBox<nint> block)
    {
        Assert.True(strategy.Validate());
        strategy.Close();
        var result = new StrongBox<nint>();
        var caller = new Thread(() => result.Value = (nint)strategy.Allocate(64));
        caller.Start();
        strategy.WaitUntilInsideTheCore();
        block = result;
        return caller;
    }

    [Fact]
    public void A_core_that_threw_does_not_leave_dispose_waiting()
    {
        var strategy = new ScriptedStrategy { ThrowOnAllocate = true };
        Assert.True(strategy.Validate());
        Assert.Throws<CoreException>(() => strategy.Allocate(16));

        // From another thread, so the caller's own in-call count (which Dispose never waits for) is not what lets it pass.
        var disposer = new Thread(strategy.Dispose);
        disposer.Start();
        Assert.True(disposer.Join(TimeSpan.FromSeconds(30)), "Dispose still waits for a call that ended with an exception");
        Assert.Equal(1, strategy.CleanupCalls);
    }

    [Fact]
    public void Every_way_out_of_a_call_without_fault_handlers_leaves_the_call()
    {
        // The body leaves the call itself on each way out: the statistics' common case, their rare cases (a new high
        // of live blocks, the periodic sample every 1,024 allocations), a failed allocation, a refused pointer. One
        // that did not would leave the mark set, and Dispose would wait for it forever.
        var strategy = new GuardedHandlerFreeStrategy();
        Assert.True(strategy.Validate());
        var blocks = new nint[1500];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = (nint)strategy.Allocate(32);
            Assert.True(blocks[i] != 0);
        }

        foreach (nint block in blocks)
        {
            strategy.Deallocate((void*)block);
        }

        strategy.Exhausted = true;
        Assert.True(strategy.Allocate(32) is null);
        int foreign;
        strategy.Deallocate(&foreign);
        Assert.Equal(StrategyStatus.Degraded, strategy.GetStatus());

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((1500L, 1500L, 1L, 1L, 1500L), (statistics.Allocations, statistics.Deallocations, statistics.FailedAllocations, statistics.RefusedDeallocations, statistics.PeakLiveAllocations));

        // From another thread, so the caller's own in-call count (which Dispose never waits for) is not what lets it pass.
        var disposer = new Thread(strategy.Dispose);
        disposer.Start();
        Assert.True(disposer.Join(TimeSpan.FromSeconds(30)), "Dispose still waits for a call that has returned");
        Assert.Equal(1, strategy.CleanupCalls);
    }
}
