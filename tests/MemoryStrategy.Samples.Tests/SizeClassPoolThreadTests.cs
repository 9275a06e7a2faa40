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
}
