using System.Buffers;
using System.IO.Pipelines;
using MemoryStrategy.Runtime.Tests;

namespace MemoryStrategy.Samples.Tests;

/// <summary>Real consumers on the size-class pool: zlib as its allocator, and a pipe over its <see cref="MemoryPool{T}"/>.</summary>
public class SizeClassPoolConsumerTests
{
    [Fact]
    public unsafe void Zlib_compresses_and_decompresses_with_every_block_from_the_pool_and_returns_them_all()
    {
        byte[] input = Compressible(300_000);
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 64, LargeClassBlocks = 64, InnerStatistics = true });
        using NativeStrategyHandle handle = pool.CreateNativeHandle();

        ZStream stream = new() { ZAlloc = ZlibAllocator.Alloc, ZFree = ZlibAllocator.Free, Opaque = handle.Pointer };
        byte[] compressed = Zlib.Deflate(&stream, input);
        stream = new() { ZAlloc = ZlibAllocator.Alloc, ZFree = ZlibAllocator.Free, Opaque = handle.Pointer };
        byte[] restored = Zlib.Inflate(&stream, compressed, input.Length);

        Assert.Equal(input, restored);
        Assert.True(compressed.Length < input.Length / 2);

        // zlib asks for several sizes (its state, window, hash chains, pending buffer): some in classes, some above.
        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        long classAllocations = Enumerable.Range(0, SizeClasses.Count).Sum(i => pool.ClassTracker(i).GetStatistics().Allocations);
        long fallbackAllocations = pool.FallbackTracker.GetStatistics().Allocations;
        Assert.True(outer.Allocations >= 6, $"zlib made {outer.Allocations} allocations");
        Assert.True(classAllocations > 0 && fallbackAllocations > 0, $"{classAllocations} in classes, {fallbackAllocations} in the fallback");
        Assert.Equal(outer.Allocations, classAllocations + fallbackAllocations);
        Assert.Equal(outer.Allocations, outer.Deallocations);
        Assert.Equal((0L, 0L, 0L, 0L), (outer.LiveAllocations, outer.RefusedDeallocations, outer.FailedAllocations, outer.RefusedAllocations));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(9000)]
    [InlineData(32 * 1024)]
    public async Task A_pipe_over_the_pool_serves_GetMemory_hints_up_to_32_KiB_from_the_size_classes(int hint)
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 64, LargeClassBlocks = 64, InnerStatistics = true });
        MemoryPool<byte> memoryPool = pool.AsMemoryPool();
        var pipe = new Pipe(new PipeOptions(pool: memoryPool, pauseWriterThreshold: 0, useSynchronizationContext: false));
        byte[] payload = new byte[256 * 1024];
        new Random(hint).NextBytes(payload);

        int written = 0;
        while (written < payload.Length)
        {
            Memory<byte> memory = pipe.Writer.GetMemory(hint);
            Assert.True(memory.Length >= hint);
            int n = Math.Min(hint, payload.Length - written);
            payload.AsMemory(written, n).CopyTo(memory);
            pipe.Writer.Advance(n);
            written += n;
            await pipe.Writer.FlushAsync();
        }

        await pipe.Writer.CompleteAsync();
        ReadResult result = await pipe.Reader.ReadAsync();
        while (!result.IsCompleted)
        {
            pipe.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await pipe.Reader.ReadAsync();
        }

        Assert.Equal(payload, result.Buffer.ToArray());
        long segments = pool.StatusTracker.GetStatistics().Allocations;
        pipe.Reader.AdvanceTo(result.Buffer.End);
        await pipe.Reader.CompleteAsync();

        // Every segment came from the pool (the pipe falls back to ArrayPool only above the pool's MaxBufferSize),
        // and from the class of max(hint, 4 KiB), never the fallback.
        Assert.True(memoryPool.MaxBufferSize >= 32 * 1024);
        int segmentSize = Math.Max(hint, MemoryStrategyAdapters.DefaultBufferSize);
        Assert.True(segments >= payload.Length / segmentSize, $"{segments} segments from the pool");
        Assert.Equal(segments, pool.ClassTracker(SizeClasses.IndexOf((nuint)segmentSize)).GetStatistics().Allocations);
        Assert.Equal(0, pool.FallbackTracker.GetStatistics().Allocations);
        Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
    }

    private static byte[] Compressible(int length)
    {
        var random = new Random(4242);
        byte[] bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = random.Next(6) == 0 ? (byte)' ' : (byte)('a' + random.Next(8));
        }

        return bytes;
    }
}
