using MemoryStrategy.Runtime.Tests.Strategies;

namespace MemoryStrategy.Runtime.Tests.Composition;

/// <summary>Disposing an inner strategy while its holder is being disposed, from another thread.</summary>
public sealed unsafe class InnerStrategyDisposeTests
{
    // The holder's Dispose makes it Disposed, which lets the inner strategy's Dispose through, and only then waits for
    // the holder's calls in flight. A call routed to the inner strategy through the nested entry points marks no call
    // of the inner strategy, so the inner Dispose, from another thread in that window, must wait for the holder's calls
    // itself: without that, its cleanup ran while the held free was still to reach its core.
    [Fact]
    public void An_inner_strategy_disposed_while_its_holder_drains_its_calls_waits_for_them()
    {
        var inner = new HeldInner();
        var holder = new Holder(inner);
        nint block = (nint)holder.Allocate(64);
        Assert.NotEqual(0, block);

        holder.HoldNextFree();
        var free = new Thread(() => holder.Deallocate((void*)block));
        free.Start();
        holder.FreeEntered.Wait();

        // The holder is Disposed at once and waits for the held free.
        var disposeHolder = new Thread(holder.Dispose);
        disposeHolder.Start();
        SpinWait.SpinUntil(() => holder.GetStatus() == StrategyStatus.Disposed);

        // Its owner is Disposed: the inner Dispose is let through, on a thread of its own.
        Exception? innerError = null;
        var disposeInner = new Thread(() =>
        {
            try
            {
                inner.Dispose();
            }
            catch (Exception error)
            {
                innerError = error;
            }
        });
        disposeInner.Start();

        // A bounded pause, not a timed assertion: it gives an inner Dispose that does not wait the time to run its
        // cleanup before the held free goes on. Whatever the timing, the assertions below hold once it waits.
        disposeInner.Join(TimeSpan.FromMilliseconds(200));
        holder.ReleaseFree.Set();
        free.Join();
        disposeHolder.Join();
        disposeInner.Join();

        Assert.Null(innerError);
        Assert.Equal(0, inner.CallsAfterCleanup);
        Assert.True(inner.CleanedUp);
        Assert.Equal((StrategyStatus.Disposed, StrategyStatus.Disposed), (holder.GetStatus(), inner.GetStatus()));
        Assert.Equal(0, holder.StatusTracker.GetStatistics().LiveAllocations);
    }

    [Fact]
    public void The_holder_s_cleanup_disposes_the_inner_strategy_without_waiting_again()
    {
        var inner = new HeldInner();
        var holder = new Holder(inner);
        void* block = holder.Allocate(64);
        holder.Deallocate(block);

        // Used by two threads, so the holder's drain is a real wait: the cleanup's inner Dispose then finds it done.
        Workers.Run(2, _ => holder.Deallocate(holder.Allocate(32)));
        holder.Dispose();

        Assert.Equal((StrategyStatus.Disposed, true, 0), (inner.GetStatus(), inner.CleanedUp, inner.CallsAfterCleanup));
        Assert.Equal(3, holder.StatusTracker.GetStatistics().Deallocations);
    }
}
