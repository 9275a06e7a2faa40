using MemoryStrategy.Reliability.Tests.Infrastructure;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Reliability.Tests.Hostile;

/// <summary>
/// Disposing the reference pool while other threads allocate and free never releases its memory under them: calls in
/// flight complete first, calls that begin after <c>Dispose</c> are refused and counted, and a block freed after it is
/// refused. The pool's slab, state bytes and links are large enough to be mapped on their own, so a call that touched
/// them after the release would fault the process, not read stale memory quietly. Through the managed API, and
/// through the C vtable with <c>prefix_destroy</c>'s <see cref="NativeExports.Destroy"/> racing the C callers.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed unsafe class PoolDisposeRaceTests
{
    private const int Rounds = 30;
    private const int Workers = 3;
    private const int CallsAfterDispose = 200;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Disposing_the_pool_while_threads_use_it_never_releases_memory_under_them(bool throughVtable)
    {
        for (int round = 0; round < Rounds; round++)
        {
            RunRound(throughVtable);
        }
    }

    private static void RunRound(bool throughVtable)
    {
        // 2^18 blocks of 16 bytes: a 4 MiB slab, 256 KiB of states and 2 MiB of links, each above glibc's mmap threshold.
        var pool = new MemoryPoolStrategy(blockSize: 16, blockCount: 1 << 18);
        NativeStrategyHandle handle = pool.CreateNativeHandle();
        NativeMemoryStrategy* vtable = throughVtable ? NativeExports.Publish(pool, handle) : null;
        int disposed = 0;
        long attempts = 0, servedAfterDispose = 0, refusedAfterDispose = 0, served = 0;
        using var started = new CountdownEvent(Workers);

        var workers = Enumerable.Range(0, Workers).Select(_ => new Thread(() =>
        {
            started.Signal();
            var held = new Stack<nint>();
            for (int i = 0, after = 0; after < CallsAfterDispose; i++)
            {
                // Read before the call: a call that begins after Dispose returned must be refused.
                bool afterDispose = Volatile.Read(ref disposed) != 0;
                after += afterDispose ? 1 : 0;
                Interlocked.Increment(ref attempts);
                void* block = throughVtable ? vtable->Allocate(vtable, 16) : pool.Allocate(16);
                if (block is null)
                {
                    if (afterDispose)
                    {
                        Interlocked.Increment(ref refusedAfterDispose);
                    }
                }
                else
                {
                    Interlocked.Increment(ref served);
                    Interlocked.Add(ref servedAfterDispose, afterDispose ? 1 : 0);
                    held.Push((nint)block);
                }

                // Free in bursts, so blocks cross the thread's cache and the shared stack while Dispose runs.
                if (held.Count > 40 || (held.Count > 0 && (i & 3) == 0))
                {
                    void* freed = (void*)held.Pop();
                    if (throughVtable)
                    {
                        vtable->Deallocate(vtable, freed);
                    }
                    else
                    {
                        pool.Deallocate(freed);
                    }
                }
            }
        })).ToArray();

        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        started.Wait();
        SpinWait.SpinUntil(() => Interlocked.Read(ref served) >= 200);
        if (throughVtable)
        {
            Assert.True(NativeExports.Destroy(vtable));
        }
        else
        {
            pool.Dispose();
        }

        Volatile.Write(ref disposed, 1);
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
        Assert.Equal(StrategyStatus.Disposed, pool.GetStatus());
        Assert.Equal(0, servedAfterDispose);
        Assert.Equal(Workers * (long)CallsAfterDispose, refusedAfterDispose);
        if (throughVtable)
        {
            // Calls after Destroy stop at the disposed handle, which refuses them before they reach the strategy.
            Assert.True(statistics.Allocations + statistics.RefusedAllocations + statistics.FailedAllocations <= attempts);
        }
        else
        {
            Assert.Equal(attempts, statistics.Allocations + statistics.RefusedAllocations + statistics.FailedAllocations);
            Assert.True(statistics.RefusedDeallocations > 0, "frees after Dispose are refused and counted");
        }

        handle.Dispose();
        GC.KeepAlive(handle);
    }
}
