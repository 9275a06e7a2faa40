namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// The reference pool through its generated <see cref="IMemoryStrategy"/> on several threads at once: stamped blocks,
/// the thread-safe usage example, racing double frees, per-thread scopes.
/// </summary>
public unsafe class MemoryPoolStrategyConcurrencyTests
{
    [Theory]
    [InlineData(2, false)]
    [InlineData(4, true)]
    [InlineData(8, false)]
    public void Stamped_blocks_from_many_threads_balance_the_statistics_exactly(int threads, bool strict)
    {
        const int blockCount = 4096;
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: blockCount, strictDoubleFree: strict);
        IMemoryStrategy strategy = pool;
        var stress = StampedWorkload.Validated(strategy, random => (nuint)random.Next(1, 65));

        long served = stress.Run(threads, 20_000, seed: threads * 7919).Served;
        Assert.True(served > (long)threads * 20_000 / 10, $"only {served} allocations succeeded: too few to prove anything");

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal(served, statistics.Allocations);
        Assert.Equal(served, statistics.Deallocations);
        Assert.Equal(0, statistics.LiveAllocations);
        Assert.Equal(0, statistics.RefusedDeallocations);
        Assert.True(strategy.Validate());
    }

    [Fact]
    public void The_thread_safe_usage_example_passes_on_two_workers()
    {
        using var strategy = new MemoryPoolStrategy(blockSize: 1024, blockCount: 64);
        int failures = 0;

        Workers.Run(2, _ =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                // Always validate before use
                if (!StrategyValidator.ValidateStrategy(strategy))
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                byte* ptr = (byte*)strategy.Allocate(1024);
                if (ptr is not null && StrategyValidator.ValidateDeallocation(strategy, ptr))
                {
                    ptr[0] = 1;
                    ptr[1023] = 2;
                    strategy.Deallocate(ptr);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        Assert.Equal(0, failures);
        Assert.Equal(20_000, strategy.StatusTracker.GetStatistics().Deallocations);
    }

    [Fact]
    public void In_strict_mode_two_racing_frees_of_one_block_count_one_deallocation_and_one_refusal()
    {
        const int rounds = 2_000;
        using var strategy = new MemoryPoolStrategy(blockSize: 64, blockCount: 64, strictDoubleFree: true);
        using var turn = new Barrier(2);
        nint shared = 0;

        Workers.Run(2, id =>
        {
            for (int round = 0; round < rounds; round++)
            {
                if (id == 0)
                {
                    shared = (nint)strategy.Allocate(64);
                }

                turn.SignalAndWait();   // both see this round's block
                strategy.Deallocate((void*)shared);
                turn.SignalAndWait();   // both frees are done before the next allocation
            }
        });

        // The pool's [Deallocate] says which free took the block, so the loser is a refusal, never a second free.
        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal(rounds, statistics.Allocations);
        Assert.Equal(rounds, statistics.Deallocations);
        Assert.Equal(rounds, statistics.RefusedDeallocations);
        Assert.Equal(0, statistics.LiveAllocations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Per_thread_scopes_on_several_threads_never_share_a_block_and_balance_the_statistics(bool strict)
    {
        const int threads = 4;
        const int rounds = 5_000;
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 256, strictDoubleFree: strict);
        var live = new System.Collections.Concurrent.ConcurrentDictionary<nint, bool>();

        Workers.Run(threads, id =>
        {
            MemoryPoolStrategy.ThreadScope scope = pool.ForCurrentThread();
            var held = new nint[8];
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < held.Length; i++)
                {
                    held[i] = (nint)scope.Allocate(64);
                    Assert.NotEqual(0, held[i]);
                    Assert.True(live.TryAdd(held[i], true), "a live block was handed out twice");
                    Stamp.Write(held[i], 64, Stamp.Of(id, round));
                }

                for (int i = 0; i < held.Length; i++)
                {
                    Assert.Null(Stamp.Check(held[i], 64, Stamp.Of(id, round)));
                    Assert.True(live.TryRemove(held[i], out _));
                    scope.Deallocate((void*)held[i]);
                }
            }
        });

        StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
        Assert.Equal(threads * rounds * 8L, statistics.Allocations);
        Assert.Equal(threads * rounds * 8L, statistics.Deallocations);
        Assert.Equal(0, statistics.RefusedDeallocations);
        Assert.Equal(0, statistics.LiveAllocations);
    }
}
