using MemoryStrategy.Reliability.Tests.Strategies;

namespace MemoryStrategy.Reliability.Tests.Hostile;

/// <summary>
/// <c>Dispose</c> racing allocations on other threads, and the documented contract (docs/generated-code.md, "What the
/// caller must guarantee"): a call that starts after <c>Dispose</c> returned is refused and counted; a call already past
/// its status check when <c>Dispose</c> runs completes before <c>Dispose</c> releases anything (a tracked strategy's calls
/// are guarded). Every request is therefore either served with a valid block or refused, none is lost, none crashes,
/// and every block still live at <c>Dispose</c> goes back to the core.
/// </summary>
public sealed unsafe class DisposeRaceTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Every_request_racing_dispose_is_served_or_refused_and_later_ones_are_refused(int threads)
    {
        var heap = new TrackedHeap();
        Assert.True(heap.Validate());
        int disposed = 0;
        long attempts = 0, served = 0, refusedAfterDispose = 0, servedAfterDispose = 0, frees = 0, kept = 0;
        using var started = new CountdownEvent(threads);
        var keptBlocks = new System.Collections.Concurrent.ConcurrentBag<nint>();

        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            started.Signal();
            // Each worker runs until it has made 1,000 calls that began after Dispose returned, however the threads are scheduled.
            for (int i = 0, callsAfterDispose = 0; callsAfterDispose < 1_000; i++)
            {
                // Read the flag before the call: a call that begins after Dispose returned must be refused.
                bool afterDispose = Volatile.Read(ref disposed) != 0;
                callsAfterDispose += afterDispose ? 1 : 0;
                Interlocked.Increment(ref attempts);
                byte* block = (byte*)heap.Allocate(64);
                if (block == null)
                {
                    if (afterDispose)
                    {
                        Interlocked.Increment(ref refusedAfterDispose);
                    }

                    continue;
                }

                Interlocked.Increment(ref served);
                if (afterDispose)
                {
                    Interlocked.Increment(ref servedAfterDispose);
                }

                block[0] = 1;
                block[63] = 2;
                if ((i & 1) == 0)
                {
                    heap.Deallocate(block);
                    Interlocked.Increment(ref frees);
                }
                else
                {
                    // Kept past Dispose: freeing it then is refused, so the caller still owns the memory.
                    keptBlocks.Add((nint)block);
                    Interlocked.Increment(ref kept);
                }
            }
        })).ToArray();

        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        started.Wait();
        SpinWait.SpinUntil(() => Interlocked.Read(ref served) >= 1_000);
        heap.Dispose();
        Volatile.Write(ref disposed, 1);
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        StrategyStatistics stats = heap.StatusTracker.GetStatistics();
        Assert.Equal(0, servedAfterDispose);
        Assert.Equal(threads * 1_000L, refusedAfterDispose);
        Assert.Equal(attempts, stats.Allocations + stats.RefusedAllocations);
        Assert.Equal(served, stats.Allocations);
        Assert.Equal(frees, stats.Deallocations + stats.RefusedDeallocations);

        // Dispose handed every block still live back to the core (TrackAllocations): the kept ones, and those whose
        // free came after Dispose (refused). Nothing is out of the core, and a free now is refused, not repeated.
        Assert.Equal(0, heap.Outstanding);
        foreach (nint block in keptBlocks)
        {
            Assert.False(heap.Owns((void*)block));
            heap.Deallocate((void*)block);
        }

        Assert.Equal(0, heap.Outstanding);
        Assert.True(kept + stats.RefusedDeallocations > 0, "no block was live at Dispose: the release was not exercised");
        Assert.Equal(StrategyStatus.Disposed, heap.GetStatus());
        GC.KeepAlive(keptBlocks);
    }
}
