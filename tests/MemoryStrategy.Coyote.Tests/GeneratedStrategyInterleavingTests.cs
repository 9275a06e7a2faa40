using Microsoft.Coyote.Specifications;

namespace MemoryStrategy.Coyote.Tests;

/// <summary>
/// The generated wrappers under Coyote: two threads freeing one block, an allocation racing a free, and Dispose racing
/// an allocation. Each schedule must end with the books balanced and nothing handed to the core twice.
/// </summary>
public sealed class GeneratedStrategyInterleavingTests(ITestOutputHelper output)
{
    [Fact]
    public void A_double_free_racing_itself_reaches_the_core_once() => Systematic.Explore(output, 200, async () =>
    {
        using var heap = new TrackedHeap();
        nint block = heap.AllocateAddress(32);

        await Task.WhenAll(Task.Run(() => heap.Free(block)), Task.Run(() => heap.Free(block)));

        StrategyStatistics stats = heap.StatusTracker.GetStatistics();
        Specification.Assert(heap.Outstanding == 0, $"{heap.Outstanding} blocks still out");
        Specification.Assert(stats.Deallocations == 1 && stats.RefusedDeallocations == 1, $"{stats}");
    });

    [Fact]
    public void An_allocation_racing_a_free_keeps_both_blocks_apart() => Systematic.Explore(output, 200, async () =>
    {
        using var heap = new TrackedHeap();
        nint first = heap.AllocateAddress(32);
        nint second = 0;

        await Task.WhenAll(Task.Run(() => heap.Free(first)), Task.Run(() => second = heap.AllocateAddress(32)));

        Specification.Assert(second != 0 && heap.OwnsAddress(second), "the racing allocation is not live");
        heap.Free(second);
        StrategyStatistics stats = heap.StatusTracker.GetStatistics();
        Specification.Assert(stats.Allocations == 2 && stats.Deallocations == 2 && stats.LiveAllocations == 0, $"{stats}");
        Specification.Assert(heap.Outstanding == 0, $"{heap.Outstanding} blocks still out");
    });

    [Fact]
    public void Dispose_racing_an_allocation_either_serves_it_or_refuses_it() => Systematic.Explore(output, 300, async () =>
    {
        var heap = new TrackedHeap();
        heap.Validate();
        nint block = 0;

        await Task.WhenAll(Task.Run(() => heap.Dispose()), Task.Run(() => block = heap.AllocateAddress(32)));

        StrategyStatistics stats = heap.StatusTracker.GetStatistics();
        Specification.Assert(heap.GetStatus() == StrategyStatus.Disposed, $"status {heap.GetStatus()}");
        Specification.Assert(stats.Allocations + stats.RefusedAllocations == 1, $"the allocation was lost: {stats}");
        Specification.Assert((block != 0) == (stats.Allocations == 1), $"block 0x{block:x} but {stats}");
        Specification.Assert(heap.AllocateAddress(32) == 0, "an allocation after Dispose was served");

        // A served block was live at Dispose, which handed it back to the core: nothing is left out.
        Specification.Assert(heap.Outstanding == 0, $"{heap.Outstanding} blocks still out after Dispose");
    });
}
