using System.Reflection;

namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// A <see cref="Thread.Interrupt"/> that reaches a thread while the reference pool or a <c>Dispose</c> makes it wait
/// does not abandon the wait half-way (a block lost, a strategy disposed without its cleanup): the wait finishes, and
/// the interrupt is raised again on the thread, whose next sleep throws it. Each test interrupts a thread of its own.
/// </summary>
public unsafe class InterruptedWaitTests
{
    /// <summary>Long enough for the waiting thread to reach the sleeps of its spin (a few dozen spins).</summary>
    private static readonly TimeSpan WaitBeforeRelease = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void A_free_that_waits_for_a_thief_while_interrupted_keeps_its_block_and_the_interrupt()
    {
        // The freeing thread finds its cache held by a thief (simulated: its lock taken), so its free waits in the slow
        // path with the block already marked free. An interrupt there used to throw out of Free and lose the block.
        const int Blocks = 8;
        var tracker = new StatusTracker("interrupted free");
        using var pool = new FixedBlockPool(tracker, 64, Blocks, batchSize: 2);
        Exception? failure = null;
        bool interruptKept = false;
        int allocatedAfter = 0;
        StrategyThread? freeingCache = null;
        using var waiting = new ManualResetEventSlim();
        var freeing = new Thread(() =>
        {
            try
            {
                void* block = pool.Allocate();
                Assert.True(block is not null);
                freeingCache = tracker.CurrentThread;
                SetStealLock(freeingCache, 1);

                Thread.CurrentThread.Interrupt();
                waiting.Set();
                pool.Free(block);

                interruptKept = SleepThrowsInterrupt();

                // Every block is still the pool's: the freed one and the seven never handed out.
                for (void* next = pool.Allocate(); next is not null; next = pool.Allocate())
                {
                    allocatedAfter++;
                }
            }
            catch (Exception error)
            {
                failure = error;
            }
        });

        freeing.Start();
        waiting.Wait();
        Thread.Sleep(WaitBeforeRelease);
        SetStealLock(freeingCache!, 0);
        freeing.Join();

        Assert.Null(failure);
        Assert.True(interruptKept, "the interrupt was swallowed instead of raised again");
        Assert.Equal(Blocks, allocatedAfter);
    }

    [Fact]
    public void A_dispose_that_waits_for_a_call_in_flight_while_interrupted_still_runs_its_cleanup()
    {
        var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 8);
        using var inside = new ManualResetEventSlim();
        using var leave = new ManualResetEventSlim();

        // A thread inside a call of the pool (its mark raised, as a core that runs long would leave it) holding a block.
        var caller = new Thread(() =>
        {
            Assert.True(pool.Allocate(64) is not null);
            StrategyThread thread = pool.StatusTracker.CurrentThread;
            thread.EnterCall();
            inside.Set();
            leave.Wait();
            thread.ExitCall();
        });
        caller.Start();
        inside.Wait();

        Exception? failure = null;
        bool interruptKept = false;
        var disposing = new Thread(() =>
        {
            try
            {
                Thread.CurrentThread.Interrupt();
                pool.Dispose();
                interruptKept = SleepThrowsInterrupt();
            }
            catch (Exception error)
            {
                failure = error;
            }
        });
        disposing.Start();
        Thread.Sleep(WaitBeforeRelease);
        leave.Set();
        disposing.Join();
        caller.Join();

        Assert.Null(failure);
        Assert.True(interruptKept, "the interrupt was swallowed instead of raised again");
        Assert.Equal(StrategyStatus.Disposed, pool.GetStatus());

        // The cleanup ran (after the call ended): it counted the block still allocated.
        Assert.Equal(1, pool.LeakedBlocks);
    }

    [Fact]
    public void An_uninterruptible_spin_keeps_an_interrupt_until_it_is_disposed()
    {
        bool keptDuring = false, raisedAfter = false;
        var thread = new Thread(() =>
        {
            using (var spin = new UninterruptibleSpinWait())
            {
                Thread.CurrentThread.Interrupt();

                // Enough steps to reach the sleeps, which throw a pending interrupt.
                for (int i = 0; i < 40; i++)
                {
                    spin.SpinOnce();
                }

                keptDuring = spin.WasInterrupted;
            }

            raisedAfter = SleepThrowsInterrupt();
        });
        thread.Start();
        thread.Join();

        Assert.True(keptDuring, "no step of the spin met the interrupt");
        Assert.True(raisedAfter, "the interrupt was not raised again when the spin ended");
    }

    /// <summary>Whether a short sleep throws an interrupt pending on the calling thread (which it clears).</summary>
    private static bool SleepThrowsInterrupt()
    {
        try
        {
            Thread.Sleep(1);
            return false;
        }
        catch (ThreadInterruptedException)
        {
            return true;
        }
    }

    /// <summary>Takes or gives back a cache's thieves' lock, as a thief would (its field is private to the handshake).</summary>
    private static void SetStealLock(StrategyThread cache, int value) =>
        typeof(PoolThread).GetField("_stealLock", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(cache, value);
}
