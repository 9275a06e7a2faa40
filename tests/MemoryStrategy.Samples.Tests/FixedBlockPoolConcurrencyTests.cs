using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace MemoryStrategy.Samples.Tests;

/// <summary>The pool's engine under several threads: stamped blocks, hand-offs, racing frees, thread exit.</summary>
[Collection(nameof(RacingTests))]
public unsafe class FixedBlockPoolConcurrencyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(8, false)]
    [InlineData(4, true)]
    public void Stamped_blocks_passed_between_threads_are_never_shared_or_lost(int threadCount, bool strict)
    {
        const int blockCount = 4096;
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        using var pool = new FixedBlockPool(48, blockCount, strict: strict);

        var stress = new StampedWorkload(
            _ => (nint)pool.Allocate(),
            block => Assert.True(pool.Free((void*)block)),
            random => (nuint)random.Next(1, 49));
        long served = stress.Run(threadCount, 40_000, seed).Served;
        Assert.True(served > (long)threadCount * 40_000 / 10, $"only {served} allocations succeeded: too few to prove anything");

        output.WriteLine($"served {served}");
        Assert.True(pool.CheckInvariants());

        // Every block is free again: the exited workers' caches are reclaimed, nothing is served twice.
        List<nint> all = FixedBlockPoolTests.AllocateAll(pool);
        Assert.Equal(blockCount, all.Count);
        Assert.Equal(blockCount, all.Distinct().Count());
    }

    [Fact]
    public void In_strict_mode_of_two_racing_frees_of_one_block_exactly_one_succeeds()
    {
        const int rounds = 400;
        const int perRound = 64;
        using var pool = new FixedBlockPool(64, 1024, strict: true);
        nint[] blocks = new nint[perRound];
        int round = 0, rival = 0, stop = 0;

        // The test thread races one rival thread: two spinning threads on two cores leave the start line within
        // nanoseconds of each other and free the same blocks in the same order at nearly the same time.
        var rivalThread = new Thread(() =>
        {
            for (int mine = 1; mine <= rounds; mine++)
            {
                while (Volatile.Read(ref round) != mine)
                {
                    if (Volatile.Read(ref stop) != 0)
                    {
                        return;
                    }

                    Thread.SpinWait(1);
                }

                Volatile.Write(ref rival, FreeAll(pool, blocks));
                Volatile.Write(ref round, -mine);
            }
        })
        { IsBackground = true };
        rivalThread.Start();

        try
        {
            for (int r = 1; r <= rounds; r++)
            {
                for (int i = 0; i < perRound; i++)
                {
                    blocks[i] = (nint)pool.Allocate();
                    Assert.NotEqual(0, blocks[i]);
                }

                Volatile.Write(ref round, r);
                int won = FreeAll(pool, blocks);
                while (Volatile.Read(ref round) != -r)
                {
                    Thread.SpinWait(1);
                }

                Assert.Equal(perRound, won + Volatile.Read(ref rival));
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            rivalThread.Join();
        }

        // A block pushed twice would now be served twice.
        List<nint> all = FixedBlockPoolTests.AllocateAll(pool);
        Assert.Equal(1024, all.Count);
        Assert.Equal(1024, all.Distinct().Count());

        static int FreeAll(FixedBlockPool pool, nint[] blocks)
        {
            int won = 0;
            foreach (nint block in blocks)
            {
                won += pool.Free((void*)block) ? 1 : 0;
            }

            return won;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_double_free_from_another_thread_after_the_first_is_refused(bool strict)
    {
        using var pool = new FixedBlockPool(64, 64, strict: strict);
        var blocks = new List<nint>();
        for (int i = 0; i < 20; i++)
        {
            blocks.Add((nint)pool.Allocate());
        }

        foreach (nint block in blocks)
        {
            Assert.True(pool.Free((void*)block));
        }

        int refused = 0;
        Workers.RunAndExit(() =>
        {
            foreach (nint block in blocks)
            {
                refused += pool.Free((void*)block) ? 0 : 1;
            }
        });

        Assert.Equal(20, refused);
        Assert.Equal(64, FixedBlockPoolTests.AllocateAll(pool).Distinct().Count());
    }

    [Fact]
    public void Blocks_cached_by_a_thread_that_exited_are_reclaimed()
    {
        // 64 blocks, batches of 8: the worker's cache (up to 16 blocks) holds what it freed when it exits.
        using var pool = new FixedBlockPool(64, 64, batchSize: 8);
        Workers.RunAndExit(() =>
        {
            var blocks = new List<nint>();
            for (int i = 0; i < 12; i++)
            {
                blocks.Add((nint)pool.Allocate());
            }

            foreach (nint block in blocks)
            {
                pool.Free((void*)block);
            }
        });

        List<nint> all = FixedBlockPoolTests.AllocateAll(pool);

        Assert.Equal(64, all.Count);
        Assert.Equal(64, all.Distinct().Count());
    }

    [Fact]
    public void Blocks_allocated_by_a_thread_that_exited_can_be_freed_by_another()
    {
        using var pool = new FixedBlockPool(64, 64, batchSize: 8);
        var blocks = new List<nint>();
        Workers.RunAndExit(() =>
        {
            for (int i = 0; i < 64; i++)
            {
                blocks.Add((nint)pool.Allocate());
            }
        });

        foreach (nint block in blocks)
        {
            Assert.True(pool.Free((void*)block));
        }

        Assert.Equal(64, FixedBlockPoolTests.AllocateAll(pool).Count);
    }

    [Fact]
    public void Short_lived_threads_adopt_the_caches_of_exited_ones()
    {
        using var pool = new FixedBlockPool(64, 1024, batchSize: 8);
        for (int t = 0; t < 50; t++)
        {
            Workers.RunAndExit(() =>
            {
                void* block = pool.Allocate();
                Assert.True(block is not null);
                Assert.True(pool.Free(block));
            });
        }

        Assert.Equal(1, pool.ThreadCacheCount);
        Assert.Equal(1024, FixedBlockPoolTests.AllocateAll(pool).Count);
        Assert.True(pool.ThreadCacheCount <= 2);
    }

    [Fact]
    public void A_pool_never_disposed_is_collected_once_its_threads_are_gone()
    {
        WeakReference pool = UseOnAnotherThreadAndDrop();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Its finalizer has run (and freed the slab without crashing): nothing kept the pool alive.
        Assert.False(pool.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference UseOnAnotherThreadAndDrop()
    {
        var pool = new FixedBlockPool(64, 256);
        Workers.RunAndExit(() =>
        {
            void* block = pool.Allocate();
            Assert.True(pool.Free(block));
        });

        return new WeakReference(pool);
    }

    [Fact]
    public void Threads_racing_an_exhausted_pool_never_share_a_block()
    {
        const int blockCount = 256;
        const int rounds = 200;
        using var pool = new FixedBlockPool(64, blockCount, batchSize: 4);
        var live = new ConcurrentDictionary<nint, bool>();

        Workers.Run(4, id =>
        {
            var held = new List<nint>();
            for (int round = 0; round < rounds; round++)
            {
                for (void* block = pool.Allocate(); block is not null; block = pool.Allocate())
                {
                    Assert.True(live.TryAdd((nint)block, true), "a live block was served twice");
                    held.Add((nint)block);
                }

                Assert.True(live.Count <= blockCount);
                foreach (nint block in held)
                {
                    Assert.True(live.TryRemove(block, out _));
                    Assert.True(pool.Free((void*)block));
                }

                held.Clear();
            }
        });

        Assert.Equal(blockCount, FixedBlockPoolTests.AllocateAll(pool).Distinct().Count());
    }
}
