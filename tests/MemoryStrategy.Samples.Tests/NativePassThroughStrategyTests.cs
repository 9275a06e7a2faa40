using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

public unsafe class NativePassThroughStrategyTests
{
    [Fact]
    public void The_registry_refuses_double_and_foreign_frees_before_they_reach_free()
    {
        using IMemoryStrategy strategy = new NativePassThroughStrategy();
        void* block = strategy.Allocate(100);
        void* foreign = NativeMemory.Alloc(100);
        try
        {
            Assert.True(strategy.Owns(block));
            Assert.False(strategy.Owns(foreign));
            Assert.False(StrategyValidator.ValidateDeallocation(strategy, foreign));

            strategy.Deallocate(block);
            strategy.Deallocate(block);
            strategy.Deallocate(foreign);
            strategy.Deallocate((byte*)foreign + 8);

            StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
            Assert.Equal(1, statistics.Deallocations);
            Assert.Equal(3, statistics.RefusedDeallocations);
            Assert.False(strategy.Owns(block));
        }
        finally
        {
            // Still ours to free: the strategy never passed it to free().
            NativeMemory.Free(foreign);
        }
    }

    [Fact]
    public void Serves_any_size_up_to_its_limit()
    {
        using IMemoryStrategy strategy = new NativePassThroughStrategy();

        byte* big = (byte*)strategy.Allocate(strategy.MaxAllocationSize);
        Assert.True(big is not null);
        big[0] = 1;
        big[strategy.MaxAllocationSize - 1] = 2;
        strategy.Deallocate(big);

        Assert.True(strategy.Allocate(strategy.MaxAllocationSize + 1) is null);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedAllocations);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void Stamped_blocks_from_many_threads_balance_the_statistics_exactly(int threads)
    {
        using IMemoryStrategy strategy = new NativePassThroughStrategy();
        var stress = StampedWorkload.Validated(strategy, random => (nuint)random.Next(1, 4097));

        long served = stress.Run(threads, 20_000, seed: threads * 31).Served;
        Assert.True(served > (long)threads * 20_000 / 10, $"only {served} allocations succeeded: too few to prove anything");

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal(served, statistics.Allocations);
        Assert.Equal(served, statistics.Deallocations);
        Assert.Equal(0, statistics.RefusedDeallocations);
        Assert.Equal(0, statistics.LiveAllocations);
    }
}
