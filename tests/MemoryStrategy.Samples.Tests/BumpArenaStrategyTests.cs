using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

public unsafe class BumpArenaStrategyTests
{
    [Fact]
    public void Hands_out_aligned_blocks_front_to_back_until_the_region_is_used_up()
    {
        using var arena = new BumpArenaStrategy(capacity: 1024, alignment: 64);
        IMemoryStrategy strategy = arena;

        byte* first = (byte*)strategy.Allocate(10);
        byte* second = (byte*)strategy.Allocate(100);
        byte* third = (byte*)strategy.Allocate(64);

        Assert.Equal(0, (nint)first % 64);
        Assert.Equal(64, second - first);
        Assert.Equal(128 + 64, third - first);
        Assert.Equal(256, arena.BytesUsed);

        Assert.True(strategy.Allocate(769) is null, "769 bytes round to 832, past the 768 left");
        Assert.Equal(StrategyStatus.Degraded, strategy.GetStatus());
        Assert.True(strategy.Allocate(768) is not null, "a request that fits still succeeds after one that did not");
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Fact]
    public void Owns_the_used_range_only()
    {
        using IMemoryStrategy strategy = new BumpArenaStrategy(capacity: 4096);
        byte* block = (byte*)strategy.Allocate(48);
        void* native = NativeMemory.Alloc(16);
        try
        {
            Assert.True(strategy.Owns(block));
            Assert.True(strategy.Owns(block + 16), "by range: an aligned address inside a block is accepted");
            Assert.False(strategy.Owns(block + 1), "misaligned");
            Assert.False(strategy.Owns(block + 48), "not handed out yet");
            Assert.False(strategy.Owns(native));
            Assert.False(strategy.Owns(null));

            strategy.Deallocate(native);
            strategy.Deallocate(block);
            strategy.Deallocate(block);
            Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedDeallocations);
            Assert.Equal(2, strategy.StatusTracker.GetStatistics().Deallocations);
        }
        finally
        {
            NativeMemory.Free(native);
        }
    }

    [Fact]
    public void Dispose_releases_the_region_and_owns_nothing_after()
    {
        var arena = new BumpArenaStrategy(capacity: 4096);
        IMemoryStrategy strategy = arena;
        void* block = strategy.Allocate(64);

        strategy.Dispose();
        strategy.Dispose();

        Assert.Equal(StrategyStatus.Disposed, strategy.GetStatus());
        Assert.False(strategy.Owns(block));
        Assert.True(strategy.Allocate(64) is null);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().LiveAllocations);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void Threads_bumping_together_never_overlap(int threads)
    {
        using IMemoryStrategy strategy = new BumpArenaStrategy(capacity: 64 << 20);
        var stress = new StampedWorkload(strategy, random => (nuint)random.Next(1, 257));

        long served = stress.Run(threads, 20_000, seed: threads).Served;
        Assert.True(served > (long)threads * 20_000 / 10, $"only {served} allocations succeeded: too few to prove anything");

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal(served, statistics.Allocations);
        Assert.Equal(served, statistics.Deallocations);
        Assert.Equal(0, statistics.RefusedDeallocations);
    }
}
