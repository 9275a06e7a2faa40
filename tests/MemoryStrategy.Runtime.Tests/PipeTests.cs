using System.Buffers;
using System.IO.Pipelines;
using MemoryStrategy.Runtime.Tests.Strategies;

namespace MemoryStrategy.Runtime.Tests;

public class PipeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>1 MiB of seeded random bytes.</summary>
    private static readonly byte[] Payload = CreatePayload();

    [Theory]
    [InlineData(1 << 20, 4096)]
    [InlineData(512, 4096)] // the strategy's limit, not the pipe's minimum, sets the segment size
    public async Task A_pipe_over_the_pool_carries_every_byte_and_returns_every_block(int maxAllocationSize, int segmentSize)
    {
        using var strategy = new LedgerStrategy(LedgerStrategy.UniqueName("pipe"), (nuint)maxAllocationSize);

        await PushThroughPipeAsync(strategy, segmentSize);

        StrategyStatistics statistics = strategy.Statistics;
        Assert.True(statistics.Allocations >= Payload.Length / Math.Min(segmentSize, maxAllocationSize), $"only {statistics.Allocations} blocks came from the strategy");
        Assert.Equal(statistics.Allocations, statistics.Deallocations);
        Assert.Equal(0, statistics.LiveAllocations);
        Assert.Equal((0L, 0L, 0L), (statistics.FailedAllocations, statistics.RefusedAllocations, statistics.RefusedDeallocations));
    }

    [Fact]
    public async Task A_pipe_over_a_generated_strategy_returns_every_block()
    {
        using var strategy = new GeneratedHeap();

        await PipeTests.PushThroughPipeAsync(strategy, segmentSize: 4096);

        Assert.True(strategy.CoreAllocations > 0);
        Assert.Equal(strategy.CoreAllocations, strategy.StatusTracker.GetStatistics().Deallocations);
        Assert.Equal(0, strategy.StatusTracker.GetStatistics().LiveAllocations);
    }

    /// <summary>Writes <see cref="Payload"/> through a <see cref="Pipe"/> over the strategy's pool and checks it arrives intact.</summary>
    internal static async Task PushThroughPipeAsync(IMemoryStrategy strategy, int segmentSize)
    {
        var pipe = new Pipe(new PipeOptions(
            pool: strategy.AsMemoryPool(),
            minimumSegmentSize: segmentSize,
            pauseWriterThreshold: 64 * 1024,
            resumeWriterThreshold: 32 * 1024,
            useSynchronizationContext: false));

        Task writing = WriteInRandomChunksAsync(pipe.Writer, Payload, new Random(7));
        byte[] received = await ReadAllAsync(pipe.Reader).WaitAsync(Bound);
        await writing.WaitAsync(Bound);

        Assert.Equal(Payload, received);
    }

    private static byte[] CreatePayload()
    {
        byte[] payload = new byte[1 << 20];
        new Random(20240611).NextBytes(payload);
        return payload;
    }

    private static async Task WriteInRandomChunksAsync(PipeWriter writer, byte[] payload, Random random)
    {
        int offset = 0;
        while (offset < payload.Length)
        {
            int chunk = Math.Min(random.Next(1, 3 * 4096), payload.Length - offset);
            while (chunk > 0)
            {
                // A hint no larger than the minimum segment keeps every segment on the pool, not the array fallback.
                Memory<byte> memory = writer.GetMemory(1);
                int n = Math.Min(chunk, memory.Length);
                payload.AsMemory(offset, n).CopyTo(memory);
                writer.Advance(n);
                offset += n;
                chunk -= n;
            }

            await writer.FlushAsync();
        }

        await writer.CompleteAsync();
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        var received = new ArrayBufferWriter<byte>();
        while (true)
        {
            ReadResult result = await reader.ReadAsync();
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await reader.CompleteAsync();
        return received.WrittenSpan.ToArray();
    }
}
