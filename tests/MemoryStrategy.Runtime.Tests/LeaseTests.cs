using System.Runtime.CompilerServices;

namespace MemoryStrategy.Runtime.Tests;

public unsafe class LeaseTests
{
    [Fact]
    public void A_lease_hands_out_a_block_of_the_strategy_and_returns_it_on_dispose()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("lease"));

        using (MemoryLease lease = strategy.Lease(1024))
        {
            Span<byte> span = lease.Span;
            span.Fill(0xA5);

            Assert.Equal(1024, lease.Length);
            Assert.Equal(1024, span.Length);
            Assert.True(strategy.Owns(lease.Pointer));
            Assert.True(lease.Pointer == Unsafe.AsPointer(ref span[0]));
            Assert.Equal(0xA5, ((byte*)lease.Pointer)[1023]);
            Assert.Equal(1, strategy.Statistics.LiveAllocations);
        }

        Assert.Equal(new StrategyStatistics(1, 1, 0, 0, 0, 0, 1, 1024), strategy.Statistics);
    }

    [Fact]
    public void Disposing_a_lease_twice_frees_the_block_once()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("twice"));
        MemoryLease lease = strategy.Lease(16);
        MemoryLease alias = lease;

        lease.Dispose();
        alias.Dispose();

        Assert.True(lease.IsDisposed);
        Assert.Equal((1L, 0L), (strategy.Statistics.Deallocations, strategy.Statistics.RefusedDeallocations));
    }

    [Fact]
    public void Of_threads_racing_to_dispose_one_lease_exactly_one_frees_it()
    {
        const int rounds = 200;
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("racing-lease"));
        for (int round = 0; round < rounds; round++)
        {
            MemoryLease lease = strategy.Lease(64);
            Workers.Run(4, _ => lease.Dispose());
        }

        StrategyStatistics statistics = strategy.Statistics;
        Assert.Equal(rounds, statistics.Deallocations);
        Assert.Equal(0, statistics.RefusedDeallocations);
        Assert.Equal(0, statistics.LiveAllocations);
    }

    [Fact]
    public void A_disposed_lease_refuses_access_to_its_memory()
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("after"));
        MemoryLease lease = strategy.Lease(8);
        lease.Dispose();

        Assert.Throws<ObjectDisposedException>(() => lease.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => (nint)lease.Pointer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(257)]
    public void A_size_the_strategy_cannot_serve_is_an_argument_error_and_reaches_no_strategy(int size)
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("size"), maxAllocationSize: 256);

        Assert.Throws<ArgumentOutOfRangeException>("size", () => strategy.Lease(size));
        Assert.Equal(default, strategy.Statistics);
    }

    [Fact]
    public void Null_from_the_strategy_becomes_an_exception_that_says_why()
    {
        using var exhausted = new LedgerStrategy(LedgerStrategy.UniqueName("full"), liveBlockLimit: 1);
        using MemoryLease only = exhausted.Lease(8);
        var faulted = new LedgerStrategy(LedgerStrategy.UniqueName("faulted"));
        faulted.Validate();
        faulted.StatusTracker.TryFault();
        var disposed = new LedgerStrategy(LedgerStrategy.UniqueName("disposed"));
        disposed.Dispose();

        Assert.Throws<OutOfMemoryException>(() => exhausted.Lease(8));
        Assert.Throws<InvalidOperationException>(() => faulted.Lease(8));
        Assert.Throws<ObjectDisposedException>(() => disposed.Lease(8));
        Assert.Throws<ArgumentNullException>(() => MemoryStrategyAdapters.Lease(null!, 8));
    }
}
