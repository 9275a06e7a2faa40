using MemoryStrategy.Reliability.Tests.Infrastructure;
using MemoryStrategy.Reliability.Tests.Strategies;

namespace MemoryStrategy.Reliability.Tests.Hygiene;

/// <summary>
/// The debug options on the reference pool's engine: <c>PoisonFreedMemory</c> reports a write after free at the next
/// allocation of the block (and faults the strategy, through the managed API and the C vtable alike);
/// <c>ZeroOnAllocate</c> hands out only zeroed blocks.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed unsafe class DebugOptionsTests
{
    [Fact]
    public void A_freed_block_holds_the_poison_until_it_is_handed_out_again()
    {
        using var pool = new CheckedPool();
        byte* block = (byte*)pool.Allocate(CheckedPool.BlockSize);
        new Span<byte>(block, CheckedPool.BlockSize).Fill(0x11);

        pool.Deallocate(block);

        // Reading freed memory is the test's privilege: the pool's slab is still mapped.
        Assert.Equal(-1, new ReadOnlySpan<byte>(block, CheckedPool.BlockSize).IndexOfAnyExcept(FreedMemoryPoison.Pattern));
        Assert.True(pool.Allocate(16) == block, "the pool's thread cache hands the last freed block out first");
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
    }

    [Fact]
    public void A_write_after_free_is_reported_at_the_next_allocation_of_the_block()
    {
        using var pool = new CheckedPool();
        byte* block = (byte*)pool.Allocate(64);
        pool.Deallocate(block);

        block[40] = 0x42;

        WriteAfterFreeException error = Assert.Throws<WriteAfterFreeException>(() => pool.Allocate(64));
        Assert.Equal((nint)block, error.Address);
        Assert.Equal(40, error.Offset);
        Assert.Equal(StrategyStatus.Faulted, pool.GetStatus());
        Assert.True(pool.Allocate(64) == null, "a faulted strategy served an allocation");
        // Quarantined: the engine still counts the damaged block allocated, and it was never counted as served.
        Assert.Equal(1, pool.StatusTracker.GetStatistics().Allocations);
    }

    [Fact]
    public void A_write_after_free_seen_through_the_c_vtable_faults_the_strategy_and_returns_null()
    {
        using var pool = new CheckedPool();
        using NativeStrategyHandle handle = pool.CreateNativeHandle();
        NativeMemoryStrategy* vtable = handle.Pointer;
        byte* block = (byte*)vtable->Allocate(vtable, 32);
        vtable->Deallocate(vtable, block);

        block[0] = 0;

        Assert.True(vtable->Allocate(vtable, 32) == null);
        Assert.Equal((int)StrategyStatus.Faulted, vtable->GetStatus(vtable));
    }

    [Fact]
    public void Writes_within_the_block_before_the_free_are_not_reported()
    {
        using var pool = new CheckedPool();
        for (int round = 0; round < 1_000; round++)
        {
            byte* block = (byte*)pool.Allocate((nuint)(round % CheckedPool.BlockSize) + 1);
            new Span<byte>(block, (round % CheckedPool.BlockSize) + 1).Fill((byte)round);
            pool.Deallocate(block);
        }

        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
        Assert.Equal(1_000, pool.StatusTracker.GetStatistics().Deallocations);
    }

    [Fact]
    public void Every_block_is_zeroed_before_it_is_handed_out()
    {
        using var pool = new CheckedPool();
        for (int round = 0; round < 200; round++)
        {
            byte* block = (byte*)pool.Allocate(CheckedPool.BlockSize);
            Assert.Equal(-1, new ReadOnlySpan<byte>(block, CheckedPool.BlockSize).IndexOfAnyExcept((byte)0));
            new Span<byte>(block, CheckedPool.BlockSize).Fill(0xAB);
            pool.Deallocate(block);
        }
    }
}
