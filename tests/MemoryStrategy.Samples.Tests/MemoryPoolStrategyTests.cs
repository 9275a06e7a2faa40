using System.Reflection;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// The reference pool through its generated <see cref="IMemoryStrategy"/>, one thread at a time: the contract, not the
/// engine (several threads at once: <see cref="MemoryPoolStrategyConcurrencyTests"/>).
/// </summary>
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
        Assert.Equal("PoolThread", strategy.StatusTracker.CurrentThread.GetType().Name); // the thread remembers its cache
        return (new WeakReference(strategy), new WeakReference(strategy.StatusTracker));
    }
}
