using System.Reflection;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

/// <summary>The reference pool through its generated <see cref="IMemoryStrategy"/>: the contract, not the engine.</summary>
public unsafe class MemoryPoolStrategyTests
{
    [Fact]
    public void Runs_the_single_threaded_usage_example()
    {
        using IMemoryStrategy strategy = new MemoryPoolStrategy(blockSize: 1024, blockCount: 16);

        Assert.Equal(StrategyStatus.Uninitialized, strategy.GetStatus());
        Assert.True(strategy.Validate());
        byte* ptr = (byte*)strategy.Allocate(1024);
        Assert.True(ptr is not null);
        new Span<byte>(ptr, 1024).Fill(0xAB);
        Assert.True(StrategyValidator.ValidateDeallocation(strategy, ptr));
        strategy.Deallocate(ptr);

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal((1, 1, 0L, 1024L), (statistics.Allocations, statistics.Deallocations, statistics.LiveAllocations, statistics.BytesRequested));
    }

    // The public fast paths ask to be inlined into callers. The bump arena keeps the default fault handlers, which the
    // JIT cannot inline, so they sit in out-of-line "Admitted" methods; the pool (FaultOnCoreException = false) has no
    // handler, and its "Admitted" methods (there so the in-call guard can close after them) inline too.
    [Theory]
    [InlineData(typeof(MemoryPoolStrategy), false)]
    [InlineData(typeof(BumpArenaStrategy), true)]
    public void Public_fast_paths_inline_and_handlers_stay_out_of_line(Type strategy, bool hasHandlers)
    {
        foreach (string name in new[] { nameof(IMemoryStrategy.Allocate), nameof(IMemoryStrategy.Deallocate) })
        {
            MethodInfo method = strategy.GetMethod(name, BindingFlags.Public | BindingFlags.Instance)!;
            Assert.True((method.MethodImplementationFlags & MethodImplAttributes.AggressiveInlining) != 0, $"{strategy.Name}.{name}");

            MethodInfo admitted = strategy.GetMethod($"__MemoryStrategy_{name}Admitted", BindingFlags.NonPublic | BindingFlags.Instance)!;
            Assert.Equal(!hasHandlers, (admitted.MethodImplementationFlags & MethodImplAttributes.AggressiveInlining) != 0);
        }
    }

    [Fact]
    public void Sizes_outside_the_limit_are_refused_and_counted()
    {
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 16);
        IMemoryStrategy strategy = pool;

        Assert.True(strategy.Allocate(0) is null);
        Assert.True(strategy.Allocate(strategy.MaxAllocationSize + 1) is null);
        Assert.True(strategy.Allocate(nuint.MaxValue) is null);
        Assert.False(StrategyValidator.ValidateAllocation(strategy, nuint.MaxValue));

        Assert.Equal(3, strategy.StatusTracker.GetStatistics().RefusedAllocations);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Fact]
    public void A_request_above_the_block_size_is_refused_not_counted_as_exhaustion()
    {
        using IMemoryStrategy strategy = new MemoryPoolStrategy(blockSize: 64, blockCount: 16);

        // The constructor lowered the instance's limit to the block size.
        Assert.Equal((nuint)64, strategy.MaxAllocationSize);
        Assert.True(StrategyValidator.ValidateAllocation(strategy, 64));
        Assert.False(StrategyValidator.ValidateAllocation(strategy, 65));

        void* block = strategy.Allocate(64);
        Assert.True(block is not null);
        Assert.True(strategy.Allocate(65) is null);

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, statistics.RefusedAllocations);
        Assert.Equal(0, statistics.FailedAllocations);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        strategy.Deallocate(block);
    }

    [Fact]
    public void Exhaustion_degrades_and_the_next_success_restores()
    {
        using IMemoryStrategy strategy = new MemoryPoolStrategy(blockSize: 32, blockCount: 8);
        var blocks = new List<nint>();
        for (int i = 0; i < 8; i++)
        {
            blocks.Add((nint)strategy.Allocate(32));
        }

        Assert.DoesNotContain(0, blocks);
        Assert.True(strategy.Allocate(32) is null);
        Assert.Equal(StrategyStatus.Degraded, strategy.GetStatus());
        Assert.True(StrategyValidator.ValidateStrategy(strategy), "a degraded strategy still serves");

        strategy.Deallocate((void*)blocks[0]);
        Assert.Equal(blocks[0], (nint)strategy.Allocate(32));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().FailedAllocations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Double_foreign_interior_and_null_frees_are_refused_and_counted(bool strict)
    {
        using IMemoryStrategy strategy = new MemoryPoolStrategy(blockSize: 64, blockCount: 16, strictDoubleFree: strict);
        byte* block = (byte*)strategy.Allocate(64);
        byte* other = (byte*)strategy.Allocate(64);
        void* native = NativeMemory.Alloc(64);
        try
        {
            strategy.Deallocate(block);
            void*[] refused = [block, native, other + 1, other + 16, null];
            foreach (void* ptr in refused)
            {
                Assert.False(StrategyValidator.ValidateDeallocation(strategy, ptr));
                Assert.False(strategy.Owns(ptr));
                strategy.Deallocate(ptr);
            }

            StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
            Assert.Equal(refused.Length, statistics.RefusedDeallocations);
            Assert.Equal(1, statistics.Deallocations);
            Assert.True(strategy.Owns(other), "the refusals left the live block alone");
            Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        }
        finally
        {
            NativeMemory.Free(native);
        }
    }

    [Fact]
    public void Dispose_reports_leaks_and_every_later_call_is_refused()
    {
        var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: 16);
        IMemoryStrategy strategy = pool;
        void* kept = strategy.Allocate(64);
        strategy.Deallocate(strategy.Allocate(64));
        strategy.Allocate(64);

        strategy.Dispose();
        strategy.Dispose();

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal(StrategyStatus.Disposed, strategy.GetStatus());
        Assert.Equal(2, statistics.LiveAllocations);
        Assert.Equal(2, pool.LeakedBlocks);
        Assert.True(strategy.Allocate(64) is null);
        Assert.False(strategy.Owns(kept));
        Assert.False(strategy.Validate());
        Assert.False(StrategyValidator.ValidateStrategy(strategy));
        strategy.Deallocate(kept);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedAllocations);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(4, true)]
    [InlineData(8, false)]
    public void Stamped_blocks_from_many_threads_balance_the_statistics_exactly(int threads, bool strict)
    {
        const int blockCount = 4096;
        using var pool = new MemoryPoolStrategy(blockSize: 64, blockCount: blockCount, strictDoubleFree: strict);
        IMemoryStrategy strategy = pool;
        var stress = new StampedWorkload(
            size => StrategyValidator.ValidateStrategy(strategy) ? (nint)strategy.Allocate(size) : 0,
            block =>
            {
                Assert.True(StrategyValidator.ValidateDeallocation(strategy, (void*)block));
                strategy.Deallocate((void*)block);
            },
            random => (nuint)random.Next(1, 65));

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
    public void A_dropped_pool_is_collected_although_this_thread_still_remembers_its_cache()
    {
        // The pool keeps this thread's cache in the thread's StrategyThread, which the thread itself still
        // references after the strategy is dropped: that must keep neither the pool nor its tracker alive.
        (WeakReference strategy, WeakReference tracker) = UseOnThisThreadAndDrop();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(strategy.IsAlive);
        Assert.False(tracker.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (WeakReference Strategy, WeakReference Tracker) UseOnThisThreadAndDrop()
    {
        var strategy = new MemoryPoolStrategy(blockSize: 64, blockCount: 64);
        void* block = strategy.Allocate(64);
        strategy.Deallocate(block);
        Assert.NotNull(strategy.StatusTracker.CurrentThread.State);
        return (new WeakReference(strategy), new WeakReference(strategy.StatusTracker));
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
