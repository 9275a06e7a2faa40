using System.Buffers;
using System.Diagnostics.Tracing;
using MemoryStrategy.Runtime.Tests.Strategies;
using static MemoryStrategy.MemoryStrategyInstruments;

namespace MemoryStrategy.Runtime.Tests;

/// <summary>The meter, the event source and the adapters with strategies the generator wrote.</summary>
public unsafe class GeneratedStrategyTests
{
    [Fact]
    public void The_meter_reports_a_generated_strategy_under_its_attribute_name()
    {
        using var strategy = new MeteredHeap();
        using var probe = new MeterProbe("Runtime.Tests.MeteredHeap");
        void* a = strategy.Allocate(10);
        void* b = strategy.Allocate(20);
        strategy.Deallocate(a);
        strategy.Deallocate(a); // double free: refused by the generated registry
        strategy.Allocate(0); // refused by the generated wrapper

        Dictionary<string, long> values = probe.Collect();

        Assert.Equal("Runtime.Tests.MeteredHeap", strategy.StatusTracker.Name);
        Assert.Equal((2, 1, 1, 1, 1, 30), (values[Allocations], values[Deallocations], values[RefusedDeallocations],
            values[RefusedAllocations], values[LiveAllocations], values[BytesRequested]));
        strategy.Deallocate(b);
    }

    [Fact]
    public void The_event_source_traces_a_generated_strategys_double_free_and_fault()
    {
        using var strategy = new TracedHeap();
        using var probe = new EventProbe("Runtime.Tests.TracedHeap");
        void* block = strategy.Allocate(16);
        strategy.Deallocate(block);

        strategy.Deallocate(block);
        strategy.BreakInvariants = true;
        Assert.False(strategy.Validate());

        Assert.Equal(["DeallocationRefused", "StrategyFaulted"], probe.Events.Select(e => e.EventName));
        Assert.Equal(DeallocationRefusal.NotOwned, (DeallocationRefusal)Convert.ToInt32(probe.Events[0].Payload![1]));
        Assert.Equal(StrategyStatus.Ready, (StrategyStatus)Convert.ToInt32(probe.Events[1].Payload![1]));
        Assert.Equal(EventLevel.Error, probe.Events[1].Level);
    }

    [Fact]
    public void A_lease_and_a_pool_buffer_from_a_generated_strategy_are_returned_once()
    {
        using var strategy = new GeneratedHeap();
        using (MemoryLease lease = strategy.Lease(100))
        using (IMemoryOwner<byte> owner = strategy.AsMemoryPool().Rent(200))
        {
            lease.Span.Fill(1);
            owner.Memory.Span.Fill(2);
            Assert.True(strategy.Owns(lease.Pointer));
            lease.Dispose();
            owner.Dispose();
        }

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((2L, 2L, 0L, 0L), (statistics.Allocations, statistics.Deallocations, statistics.RefusedDeallocations, statistics.LiveAllocations));
    }
}
