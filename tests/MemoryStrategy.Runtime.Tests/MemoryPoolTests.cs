using System.Buffers;
using System.Runtime.CompilerServices;

namespace MemoryStrategy.Runtime.Tests;

public unsafe class MemoryPoolTests
{
    [Theory]
    [InlineData(-1, 4096)]
    [InlineData(0, 4096)]
    [InlineData(10, 4096)]
    [InlineData(4096, 4096)]
    [InlineData(10_000, 10_000)]
    public void Rent_allocates_at_least_the_default_size_from_the_strategy(int minBufferSize, int expectedLength)
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("rent"));
        using MemoryPool<byte> pool = strategy.AsMemoryPool();

        using (IMemoryOwner<byte> owner = pool.Rent(minBufferSize))
        {
            Assert.Equal(expectedLength, owner.Memory.Length);
            Assert.True(strategy.Owns(Unsafe.AsPointer(ref owner.Memory.Span[0])));
            Assert.IsAssignableFrom<MemoryManager<byte>>(owner);
        }

        Assert.Equal((1L, 1L, (long)expectedLength), (strategy.Statistics.Allocations, strategy.Statistics.Deallocations, strategy.Statistics.BytesRequested));
    }

    [Fact]
    public void The_default_size_and_the_pool_limit_are_clamped_to_the_strategys_limit()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("small"), maxAllocationSize: 1000);
        using MemoryPool<byte> pool = strategy.AsMemoryPool();

        using IMemoryOwner<byte> owner = pool.Rent();

        Assert.Equal(1000, pool.MaxBufferSize);
        Assert.Equal(1000, owner.Memory.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(1001));
        Assert.Equal(1, strategy.Statistics.Allocations);
    }

    [Fact]
    public void A_custom_default_buffer_size_is_used_for_small_requests()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("custom"));
        using MemoryPool<byte> pool = strategy.AsMemoryPool(defaultBufferSize: 256);

        using IMemoryOwner<byte> small = pool.Rent(1);
        using IMemoryOwner<byte> large = pool.Rent(300);

        Assert.Equal((256, 300), (small.Memory.Length, large.Memory.Length));
    }

    [Fact]
    public void Data_written_through_memory_is_in_the_native_block_and_pinning_yields_its_address()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("pin"));
        using IMemoryOwner<byte> owner = strategy.AsMemoryPool().Rent(64);
        Memory<byte> memory = owner.Memory;
        for (int i = 0; i < memory.Length; i++)
        {
            memory.Span[i] = (byte)i;
        }

        using MemoryHandle whole = memory.Pin();
        using MemoryHandle tail = memory[100..].Pin();

        byte* block = (byte*)whole.Pointer;
        Assert.True(strategy.Owns(block));
        Assert.Equal(99, block[99]);
        Assert.True(tail.Pointer == block + 100);
        Assert.Equal(100, *(byte*)tail.Pointer);
    }

    [Fact]
    public void Disposing_an_owner_twice_or_from_racing_threads_returns_the_block_once()
    {
        const int rounds = 200;
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("owners"));
        MemoryPool<byte> pool = strategy.AsMemoryPool(defaultBufferSize: 64);
        IMemoryOwner<byte> owner = pool.Rent();
        owner.Dispose();
        owner.Dispose();

        for (int round = 0; round < rounds; round++)
        {
            IMemoryOwner<byte> raced = pool.Rent();
            Workers.Run(4, _ => raced.Dispose());
        }

        StrategyStatistics statistics = strategy.Statistics;
        Assert.Equal(rounds + 1, statistics.Deallocations);
        Assert.Equal(0, statistics.RefusedDeallocations);
        Assert.Equal(0, statistics.LiveAllocations);
    }

    [Fact]
    public void A_disposed_owner_refuses_access_to_its_memory()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("gone"));
        IMemoryOwner<byte> owner = strategy.AsMemoryPool().Rent(16);
        Memory<byte> memory = owner.Memory;
        owner.Dispose();

        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => memory.Pin());
        Assert.Throws<ObjectDisposedException>(() => owner.Memory.Span.Length);
    }

    [Fact]
    public void A_disposed_pool_refuses_rents_but_leaves_rented_buffers_and_the_strategy_alone()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("pool-dispose"));
        MemoryPool<byte> pool = strategy.AsMemoryPool();
        IMemoryOwner<byte> owner = pool.Rent(8);

        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.Rent(8));
        owner.Memory.Span.Fill(1);
        owner.Dispose();
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal(0, strategy.Statistics.LiveAllocations);
    }

    [Fact]
    public void Null_from_the_strategy_becomes_an_exception_that_says_why()
    {
        using var exhausted = new LedgerStrategy(LedgerStrategy.UniqueName("full"), liveBlockLimit: 0);
        var disposed = new LedgerStrategy(LedgerStrategy.UniqueName("disposed"));
        disposed.Dispose();

        Assert.Throws<OutOfMemoryException>(() => exhausted.AsMemoryPool().Rent());
        Assert.Throws<ObjectDisposedException>(() => disposed.AsMemoryPool().Rent());
        Assert.Throws<ArgumentOutOfRangeException>(() => exhausted.AsMemoryPool().Rent(-2));
        Assert.Throws<ArgumentOutOfRangeException>(() => exhausted.AsMemoryPool(defaultBufferSize: 0));
        Assert.Throws<ArgumentNullException>(() => MemoryStrategyAdapters.AsMemoryPool(null!));
    }

    [Fact]
    public void A_strategy_that_serves_no_size_is_refused_when_the_pool_is_made()
    {
        using var none = new LedgerStrategy(LedgerStrategy.UniqueName("none"), maxAllocationSize: 0);

        ArgumentException refused = Assert.Throws<ArgumentException>(() => none.AsMemoryPool());
        Assert.Equal("strategy", refused.ParamName);
        Assert.Contains("MaxAllocationSize is 0", refused.Message);
        Assert.Equal(0L, none.Statistics.Allocations);
    }

    [Fact]
    public void Rents_and_returns_from_several_threads_balance_exactly()
    {
        const int threads = 4;
        const int perThread = 5_000;
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("threads"));
        MemoryPool<byte> pool = strategy.AsMemoryPool(defaultBufferSize: 128);

        Workers.Run(threads, t =>
        {
            var held = new Queue<IMemoryOwner<byte>>();
            for (int i = 0; i < perThread; i++)
            {
                IMemoryOwner<byte> owner = pool.Rent(i % 512);
                owner.Memory.Span.Fill((byte)t);
                held.Enqueue(owner);
                if (held.Count > 8)
                {
                    IMemoryOwner<byte> oldest = held.Dequeue();
                    Assert.True(oldest.Memory.Span.IndexOfAnyExcept((byte)t) < 0, "a buffer was overwritten by another thread");
                    oldest.Dispose();
                }
            }

            while (held.TryDequeue(out IMemoryOwner<byte>? owner))
            {
                owner.Dispose();
            }
        });

        StrategyStatistics statistics = strategy.Statistics;
        Assert.Equal(threads * perThread, statistics.Allocations);
        Assert.Equal(statistics.Allocations, statistics.Deallocations);
        Assert.Equal((0L, 0L), (statistics.LiveAllocations, statistics.RefusedDeallocations));
    }
}
