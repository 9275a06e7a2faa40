using MemoryStrategy.Runtime.Tests.Strategies;

namespace MemoryStrategy.Runtime.Tests;

public unsafe class ZlibTests
{
    [Fact]
    public void Deflate_and_inflate_take_all_their_memory_from_a_generated_strategy_and_return_every_block()
    {
        byte[] input = Compressible(200_000);
        using var strategy = new GeneratedHeap();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();

        ZStream stream = AllocatingFrom(handle);
        byte[] compressed = Zlib.Deflate(&stream, input);
        StrategyStatistics afterDeflate = strategy.StatusTracker.GetStatistics();
        stream = AllocatingFrom(handle);
        byte[] restored = Zlib.Inflate(&stream, compressed, input.Length);
        StrategyStatistics afterInflate = strategy.StatusTracker.GetStatistics();

        Assert.Equal(input, restored);
        // deflate's state, window, hash chains and pending buffer: hundreds of KiB, all from the strategy.
        Assert.True(afterDeflate.Allocations >= 4, $"deflate made {afterDeflate.Allocations} allocations");
        Assert.True(afterDeflate.BytesRequested >= 128 * 1024, $"deflate requested {afterDeflate.BytesRequested} bytes");
        Assert.True(afterInflate.Allocations > afterDeflate.Allocations, "inflate allocated nothing from the strategy");
        Assert.Equal(strategy.CoreAllocations, afterInflate.Allocations);
        Assert.Equal(afterInflate.Allocations, afterInflate.Deallocations);
        Assert.Equal((0L, 0L, 0L, 0L), (afterInflate.LiveAllocations, afterInflate.RefusedDeallocations,
            afterInflate.FailedAllocations, afterInflate.RefusedAllocations));
    }

    [Fact]
    public void An_exhausted_strategy_is_a_clean_zlib_memory_error_and_what_zlib_took_comes_back()
    {
        using var strategy = new GeneratedHeap(liveBlockLimit: 2);
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        ZStream stream = AllocatingFrom(handle);

        Assert.Equal(Zlib.MemoryError, Zlib.DeflateInit(&stream));

        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal(2, statistics.Allocations);
        Assert.True(statistics.FailedAllocations >= 1);
        Assert.Equal((0L, 0L), (statistics.LiveAllocations, statistics.RefusedDeallocations));
    }

    [Fact]
    public void A_disposed_handle_refuses_zlib_without_crashing()
    {
        using var strategy = new GeneratedHeap();
        NativeStrategyHandle handle = strategy.CreateNativeHandle();
        ZStream stream = AllocatingFrom(handle);
        handle.Dispose();

        Assert.Equal(Zlib.MemoryError, Zlib.DeflateInit(&stream));
        Assert.Equal(0, strategy.StatusTracker.GetStatistics().Allocations);
        GC.KeepAlive(handle);
    }

    [Fact]
    public void The_test_binding_round_trips_with_zlibs_own_allocator()
    {
        byte[] input = Compressible(200_000);
        ZStream stream = default;

        byte[] compressed = Zlib.Deflate(&stream, input);
        stream = default;
        byte[] restored = Zlib.Inflate(&stream, compressed, input.Length);

        Assert.True(compressed.Length < input.Length / 2);
        Assert.Equal(input, restored);
    }

    private static ZStream AllocatingFrom(NativeStrategyHandle handle) => new()
    {
        ZAlloc = ZlibAllocator.Alloc,
        ZFree = ZlibAllocator.Free,
        Opaque = handle.Pointer,
    };

    /// <summary>Text-like bytes: random words from a small alphabet, so deflate has something to find.</summary>
    internal static byte[] Compressible(int length)
    {
        var random = new Random(31337);
        byte[] bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = random.Next(6) == 0 ? (byte)' ' : (byte)('a' + random.Next(8));
        }

        return bytes;
    }
}
