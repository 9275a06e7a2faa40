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
    public void Owns_the_start_of_each_live_block_only()
    {
        using IMemoryStrategy strategy = new BumpArenaStrategy(capacity: 4096);
        byte* block = (byte*)strategy.Allocate(48);
        void* native = NativeMemory.Alloc(16);
        try
        {
            Assert.True(strategy.Owns(block));
            Assert.False(strategy.Owns(block + 16), "an aligned address inside a block is not a block");
            Assert.False(strategy.Owns(block + 1), "misaligned");
            Assert.False(strategy.Owns(block + 48), "not handed out yet");
            Assert.False(strategy.Owns(native));
            Assert.False(strategy.Owns(null));

            strategy.Deallocate(native);
            strategy.Deallocate(block + 16);
            strategy.Deallocate(block);
            Assert.False(strategy.Owns(block), "freed");
            StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
            Assert.Equal((2, 1, 0L), (statistics.RefusedDeallocations, statistics.Deallocations, statistics.LiveAllocations));
        }
        finally
        {
            NativeMemory.Free(native);
        }
    }

    [Fact]
    public void A_double_free_is_refused_and_no_counter_goes_negative()
    {
        using IMemoryStrategy strategy = new BumpArenaStrategy(capacity: 4096);
        void* first = strategy.Allocate(16);
        void* second = strategy.Allocate(16);

        strategy.Deallocate(first);
        strategy.Deallocate(first);
        strategy.Deallocate(first);
        Assert.False(StrategyValidator.ValidateDeallocation(strategy, first));

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((2, 1, 2, 1L), (statistics.Allocations, statistics.Deallocations, statistics.RefusedDeallocations, statistics.LiveAllocations));
        Assert.True(strategy.Owns(second), "the other block stays live");
        strategy.Deallocate(second);
        Assert.Equal(0, strategy.StatusTracker.GetStatistics().LiveAllocations);
    }

    [Fact]
    public void Racing_frees_of_one_block_succeed_once()
    {
        using IMemoryStrategy strategy = new BumpArenaStrategy(capacity: 64 << 10);
        const int Rounds = 500;
        for (int round = 0; round < Rounds; round++)
        {
            nint block = (nint)strategy.Allocate(16);
            using var start = new Barrier(2);
            Parallel.For(0, 2, _ =>
            {
                start.SignalAndWait();
                strategy.Deallocate((void*)block);
            });
        }

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((Rounds, Rounds, 0L), (statistics.Deallocations, statistics.RefusedDeallocations, statistics.LiveAllocations));
    }

    [Fact]
    public void A_request_above_the_capacity_is_refused_not_counted_as_exhaustion()
    {
        using IMemoryStrategy strategy = new BumpArenaStrategy(capacity: 1000, alignment: 16);

        // The largest request that can ever fit: the capacity rounded down to the alignment.
        Assert.Equal((nuint)992, strategy.MaxAllocationSize);
        Assert.False(StrategyValidator.ValidateAllocation(strategy, 993));
        Assert.True(strategy.Allocate(993) is null);
        Assert.True(strategy.Allocate(4096) is null);

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((2, 0), (statistics.RefusedAllocations, statistics.FailedAllocations));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.True(strategy.Allocate(992) is not null, "the whole capacity is still there");
    }

    [Fact]
    public void A_capacity_below_the_alignment_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BumpArenaStrategy(capacity: 8, alignment: 16));

    // The arena keeps its capacity and offsets as longs: a larger capacity is refused by name, not by the conversion's
    // OverflowException.
    [Fact]
    public void A_capacity_above_long_MaxValue_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BumpArenaStrategy(capacity: nuint.MaxValue));
        Assert.Equal("capacity", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BumpArenaStrategy(capacity: (nuint)1 << 63, alignment: (nuint)1 << 63));
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
