namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// The inner threads a size-class pool keeps per thread: a thread that exits leaves its blocks reachable, and blocks
/// freed by another thread go back to their class.
/// </summary>
public unsafe class SizeClassPoolThreadTests
{
    [Fact]
    public void Blocks_parked_by_an_exited_thread_serve_the_next_thread_without_overflowing()
    {
        const int Blocks = 16;
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = Blocks, LargeClassBlocks = Blocks });
        var worker = new Thread(() =>
        {
            var held = Enumerable.Range(0, Blocks).Select(_ => (nint)pool.Allocate(64)).ToList();
            held.ForEach(block => pool.Deallocate((void*)block)); // parked in this thread's cache of the 64 B class
        });
        worker.Start();
        worker.Join();

        // Every block of the class is still reachable from another thread: none overflows to the fallback.
        var mine = Enumerable.Range(0, Blocks).Select(_ => (nint)pool.Allocate(64)).ToList();
        Assert.Equal(0, pool.ClassOverflows);
        Assert.Equal(Blocks, mine.Distinct().Count());
        Assert.All(mine, block => Assert.True(pool.Owns((void*)block)));

        mine.ForEach(block => pool.Deallocate((void*)block));
        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((2L * Blocks, 2L * Blocks, 0L), (outer.Allocations, outer.Deallocations, outer.RefusedDeallocations));
    }

    [Fact]
    public void A_block_freed_by_another_thread_returns_to_its_class()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 4, LargeClassBlocks = 4, InnerStatistics = true });
        var blocks = new[] { 24, 700, 5000, 40_000 }.Select(size => (nint)pool.Allocate((nuint)size)).ToArray();

        var worker = new Thread(() =>
        {
            foreach (nint block in blocks)
            {
                pool.Deallocate((void*)block);
            }
        });
        worker.Start();
        worker.Join();

        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((4L, 4L, 0L, 0L), (outer.Allocations, outer.Deallocations, outer.LiveAllocations, outer.RefusedDeallocations));
        Assert.Equal(1, pool.ClassTracker(SizeClasses.IndexOf(700)).GetStatistics().Deallocations);
        Assert.Equal(1, pool.FallbackTracker.GetStatistics().Deallocations);
        Assert.All(blocks, block => Assert.False(pool.Owns((void*)block)));
    }

    [Fact]
    public void Two_threads_after_an_exited_one_never_share_a_block()
    {
        // The first thread fills its inner threads and exits; of the next two, one takes over its object of the pool's
        // tracker, the other asks the class pool's tracker for its own, which may hand it the exited thread's inner
        // object. If both ended up with one inner object they would share its cache and be handed the same blocks.
        for (int round = 0; round < 5; round++)
        {
            ExitThenTwoThreads();
        }
    }

    private static void ExitThenTwoThreads()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 256, LargeClassBlocks = 16 });
        var first = new Thread(() => pool.Deallocate(pool.Allocate(64)));
        first.Start();
        first.Join();

        int collisions = 0;
        Workers.Run(2, worker =>
        {
            byte stamp = (byte)(worker + 1);
            for (int i = 0; i < 20_000; i++)
            {
                byte* block = (byte*)pool.Allocate(64);
                Assert.True(block is not null);
                new Span<byte>(block, 64).Fill(stamp);
                Thread.SpinWait(20);
                if (new Span<byte>(block, 64).IndexOfAnyExcept(stamp) >= 0)
                {
                    Interlocked.Increment(ref collisions);
                }

                pool.Deallocate(block);
            }
        });

        Assert.Equal(0, collisions);
        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((0L, 0L), (outer.RefusedDeallocations, outer.LiveAllocations));
    }
}
