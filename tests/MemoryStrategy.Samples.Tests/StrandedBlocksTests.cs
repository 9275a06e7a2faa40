using System.Collections.Concurrent;

namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// No block of the reference pool is stranded in the cache of a live thread: a thread that finds the pool otherwise
/// empty takes the blocks parked in other threads' caches, idle threads' included, before it reports exhaustion.
/// </summary>
public unsafe class StrandedBlocksTests
{
    /// <summary>Live threads that each filled their cache and then sat idle: many more than 4 per core.</summary>
    private const int IdleThreads = 32;

    [Fact]
    public void A_thread_whose_call_mark_was_left_behind_does_not_hold_up_the_threads_that_steal_from_it()
    {
        // A thread parks blocks in its cache, then is left marked inside a call of the pool (as an exception out of the
        // statistics' rare cases leaves it without fault handlers) while it stays alive. Another thread that must
        // steal from it finds the owner inside, spins a little, reports the cache held and searches again, as for a
        // move in progress: after the searches' bound (about a second) its allocation answers (here with exhaustion:
        // those are the only free blocks) instead of waiting for ever, and once the call ends the blocks are stolen.
        var tracker = new StatusTracker("stuck mark");
        using var pool = new FixedBlockPool(tracker, 64, 8, batchSize: 2);
        using var marked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var owner = new Thread(() =>
        {
            var held = new List<nint>();
            for (void* block = pool.Allocate(); block is not null; block = pool.Allocate())
            {
                held.Add((nint)block);
            }

            Assert.Equal(8, held.Count);
            pool.Free((void*)held[0]);
            pool.Free((void*)held[1]);
            StrategyThread thread = tracker.CurrentThread;
            thread.EnterCall();
            marked.Set();
            release.Wait();
            thread.ExitCall();
        });
        owner.Start();
        marked.Wait();

        nint first = 0;
        var thief = new Thread(() => first = (nint)pool.Allocate());
        thief.Start();
        Assert.True(thief.Join(TimeSpan.FromSeconds(60)), "a thief still waits for a call that does not end");
        Assert.Equal(0, first);

        release.Set();
        owner.Join();
        nint second = 0;
        thief = new Thread(() => second = (nint)pool.Allocate());
        thief.Start();
        thief.Join();
        Assert.NotEqual(0, second);
    }

    [Fact]
    public void A_fresh_thread_gets_the_full_capacity_while_idle_threads_hold_full_caches()
    {
        const int Blocks = 1024;
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: Blocks);
        using var park = new ManualResetEventSlim();
        using var filled = new CountdownEvent(IdleThreads);
        var idle = new Thread[IdleThreads];
        for (int t = 0; t < IdleThreads; t++)
        {
            idle[t] = new Thread(() =>
            {
                // Allocate a little and free it all: the blocks stay in this thread's cache, and the thread stays alive.
                var held = new List<nint>();
                for (int i = 0; i < Blocks / 16; i++)
                {
                    void* block = pool.Allocate(64);
                    if (block is not null)
                    {
                        held.Add((nint)block);
                    }
                }

                foreach (nint block in held)
                {
                    pool.Deallocate((void*)block);
                }

                filled.Signal();
                park.Wait();
            })
            { IsBackground = true };
            idle[t].Start();
        }

        filled.Wait();
        try
        {
            int served = 0;
            var fresh = new Thread(() =>
            {
                var taken = new List<nint>();
                for (int i = 0; i < Blocks; i++)
                {
                    void* block = pool.Allocate(64);
                    if (block is null)
                    {
                        break;
                    }

                    taken.Add((nint)block);
                }

                served = taken.Count;
                Assert.Equal(taken.Count, taken.Distinct().Count());
                foreach (nint block in taken)
                {
                    pool.Deallocate((void*)block);
                }
            });
            fresh.Start();
            fresh.Join();

            Assert.Equal(Blocks, served);
            Assert.Equal(0, pool.StatusTracker.GetStatistics().FailedAllocations);
            Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
        }
        finally
        {
            park.Set();
            foreach (Thread thread in idle)
            {
                thread.Join();
            }
        }
    }

    [Fact]
    public void A_producer_handing_single_blocks_to_live_consumers_never_sees_exhaustion()
    {
        const int Blocks = 64;
        const int Consumers = 8;
        const int Handed = 20_000;
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: Blocks);
        var inboxes = new BlockingCollection<nint>[Consumers];
        var consumers = new Thread[Consumers];

        // Blocks allocated and not yet back from Deallocate: the producer keeps this below the capacity, so every
        // allocation must succeed.
        long live = 0;
        for (int c = 0; c < Consumers; c++)
        {
            BlockingCollection<nint> inbox = inboxes[c] = new BlockingCollection<nint>();
            consumers[c] = new Thread(() =>
            {
                foreach (nint block in inbox.GetConsumingEnumerable())
                {
                    pool.Deallocate((void*)block);

                    // Interlocked: the producer reads the count to decide whether it may allocate.
                    Interlocked.Decrement(ref live);
                }
            });
            consumers[c].Start();
        }

        int exhausted = 0;
        try
        {
            for (int i = 0; i < Handed; i++)
            {
                SpinWait spin = default;
                while (Interlocked.Read(ref live) >= Blocks - 1)
                {
                    spin.SpinOnce();
                }

                void* block = pool.Allocate(64);
                if (block is null)
                {
                    exhausted++;
                    break;
                }

                Interlocked.Increment(ref live);
                inboxes[i % Consumers].Add((nint)block);
            }
        }
        finally
        {
            foreach (BlockingCollection<nint> inbox in inboxes)
            {
                inbox.CompleteAdding();
            }

            foreach (Thread consumer in consumers)
            {
                consumer.Join();
            }
        }

        StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
        Assert.Equal(0, exhausted);
        Assert.Equal(0, statistics.FailedAllocations);
        Assert.Equal(Handed, statistics.Allocations);
        Assert.Equal(Handed, statistics.Deallocations);
    }

    [Fact]
    public void Threads_holding_the_whole_pool_between_them_with_churn_are_never_refused()
    {
        // Each thread holds at most its share of the blocks, so whenever a thread allocates, a block is free somewhere:
        // in another thread's cache, in the shared stack, or moving between them while the others refill, flush and
        // steal. Every allocation must be served, however the blocks are spread (and however the scheduler
        // interleaves more threads than cores). Before blocks in transit were waited for, half the runs of one such
        // pool saw a refusal (4 of 8); two pools a run.
        for (int run = 0; run < 2; run++)
        {
            ChurnAtFullCapacity();
        }
    }

    private static void ChurnAtFullCapacity()
    {
        const int Threads = 8;
        const int Share = 37;
        const int Rounds = 100_000;
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: Threads * Share);
        using var start = new Barrier(Threads);
        int refused = 0;
        var workers = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int seed = t;
            workers[t] = new Thread(() =>
            {
                var random = new Random(seed);
                var held = new List<nint>(Share);
                start.SignalAndWait();
                for (int round = 0; round < Rounds; round++)
                {
                    while (held.Count < Share)
                    {
                        void* block = pool.Allocate(64);
                        if (block is null)
                        {
                            // Counted, then given up for this round: the share stays below full.
                            Interlocked.Increment(ref refused);
                            break;
                        }

                        held.Add((nint)block);
                    }

                    // Free some of them, from anywhere in the list, so the caches fill and empty unevenly.
                    for (int free = random.Next(1, Share + 1); free > 0 && held.Count > 0; free--)
                    {
                        int at = random.Next(held.Count);
                        pool.Deallocate((void*)held[at]);
                        held[at] = held[^1];
                        held.RemoveAt(held.Count - 1);
                    }
                }

                foreach (nint block in held)
                {
                    pool.Deallocate((void*)block);
                }
            });
            workers[t].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
        Assert.Equal(0, refused);
        Assert.Equal(0, statistics.FailedAllocations);
        Assert.Equal(0, statistics.LiveAllocations);
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
    }
}
