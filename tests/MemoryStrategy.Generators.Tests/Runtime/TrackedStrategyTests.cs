using System.Collections.Concurrent;
using MemoryStrategy.Generators.Tests.Infrastructure;
using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary><c>TrackAllocations = true</c>: the generated registry decides ownership, alone and under threads.</summary>
public sealed unsafe class TrackedStrategyTests
{
    [Fact]
    public void The_registry_refuses_foreign_pointers_and_double_frees()
    {
        using var strategy = new TrackedPassThrough();
        void* block = strategy.Allocate(48);
        void* foreign = NativeMemory.Alloc(48);
        try
        {
            Assert.True(strategy.Owns(block));
            Assert.False(strategy.Owns(foreign));

            strategy.Deallocate(foreign);
            strategy.Deallocate(block);
            strategy.Deallocate(block);

            Assert.Equal(1, strategy.CoreFrees);
            StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
            Assert.Equal(1, stats.Deallocations);
            Assert.Equal(2, stats.RefusedDeallocations);
            Assert.False(strategy.Owns(block));
        }
        finally
        {
            NativeMemory.Free(foreign);
        }
    }

    [Fact]
    public void A_core_that_hands_out_a_live_block_again_faults_instead_of_sharing_it()
    {
        using var strategy = new TrackedPassThrough();
        void* block = strategy.Allocate(48);
        strategy.RepeatBlock = (nint)block;

        Assert.True(strategy.Allocate(48) == null);

        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Allocations);
        Assert.Equal(1, stats.FailedAllocations);
        strategy.Deallocate(block);
        Assert.Equal(1, strategy.CoreFrees);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Blocks_handed_between_threads_are_each_freed_exactly_once(int threads)
    {
        const int BlocksPerThread = 20_000;
        using var strategy = new TrackedPassThrough();
        var inFlight = new ConcurrentQueue<nint>();
        int corrupted = 0;
        int remaining = threads * BlocksPerThread;

        Workers.Run(threads, thread =>
        {
            var random = new Random(thread);
            int allocated = 0;
            while (Volatile.Read(ref remaining) > 0)
            {
                // Half the time allocate and stamp a block for another thread; otherwise free someone else's block.
                if (allocated < BlocksPerThread && (random.Next(2) == 0 || inFlight.IsEmpty))
                {
                    long* block = (long*)strategy.Allocate(16);
                    block[0] = thread;
                    block[1] = ~(long)thread;
                    inFlight.Enqueue((nint)block);
                    allocated++;
                }
                else if (inFlight.TryDequeue(out nint taken))
                {
                    long* block = (long*)taken;
                    if (block[1] != ~block[0])
                    {
                        Interlocked.Increment(ref corrupted);
                    }

                    strategy.Deallocate(block);
                    Interlocked.Decrement(ref remaining);
                }
                else
                {
                    Thread.Yield();
                }
            }
        });

        Assert.Equal(0, corrupted);
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(threads * BlocksPerThread, stats.Allocations);
        Assert.Equal(threads * BlocksPerThread, stats.Deallocations);
        Assert.Equal(0, stats.RefusedDeallocations);
        Assert.Equal(0, stats.LiveAllocations);
        Assert.Equal(threads * BlocksPerThread, strategy.CoreFrees);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Racing_frees_of_the_same_blocks_reach_the_core_once_per_block(int threads)
    {
        const int Blocks = 5_000;
        using var strategy = new TrackedPassThrough();
        var blocks = new nint[Blocks];
        for (int i = 0; i < Blocks; i++)
        {
            blocks[i] = (nint)strategy.Allocate(8);
        }

        Workers.Run(threads, thread =>
        {
            // Every thread frees every block, walking the array from a different starting point.
            for (int i = 0; i < Blocks; i++)
            {
                strategy.Deallocate((void*)blocks[(i + (thread * Blocks / threads)) % Blocks]);
            }
        });

        Assert.Equal(Blocks, strategy.CoreFrees);
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(Blocks, stats.Deallocations);
        Assert.Equal((threads - 1) * Blocks, stats.RefusedDeallocations);
    }

    [Fact]
    public void Dispose_hands_every_block_still_live_back_to_the_core_once()
    {
        var strategy = new TrackedPassThrough();
        var blocks = new List<nint>();
        for (int i = 0; i < 300; i++)
        {
            // Enough to make the registry grow several times.
            blocks.Add((nint)strategy.Allocate(32));
        }

        for (int i = 0; i < blocks.Count; i += 3)
        {
            strategy.Deallocate((void*)blocks[i]);
        }

        Assert.Equal(100, strategy.CoreFrees);
        strategy.Dispose();

        // The 200 the caller never returned went back to the core; the 100 it returned were not freed twice.
        Assert.Equal(300, strategy.CoreFrees);
        Assert.False(strategy.Owns((void*)blocks[1]));

        // The statistics still show what the caller leaked, and a free after Dispose is refused, not repeated.
        Assert.Equal(200, strategy.StatusTracker.GetStatistics().LiveAllocations);
        strategy.Deallocate((void*)blocks[1]);
        strategy.Dispose();
        Assert.Equal(300, strategy.CoreFrees);
    }

    [Fact]
    public void Dispose_racing_allocations_and_frees_loses_no_block_and_frees_none_twice()
    {
        // Every block the core handed out is freed by the core exactly once: by the caller's free, or by Dispose.
        for (int round = 0; round < 20; round++)
        {
            var strategy = new TrackedPassThrough();
            int started = 0;
            Workers.Run(3, thread =>
            {
                if (thread == 0)
                {
                    SpinWait.SpinUntil(() => Volatile.Read(ref started) >= 2);
                    strategy.Dispose();
                    return;
                }

                Interlocked.Increment(ref started);
                for (int i = 0; i < 2_000; i++)
                {
                    void* block = strategy.Allocate(24);
                    if (block == null)
                    {
                        return;
                    }

                    if ((i & 1) == 0)
                    {
                        strategy.Deallocate(block);
                    }
                }
            });

            Assert.Equal(StrategyStatus.Disposed, strategy.GetStatus());
            Assert.Equal(strategy.CoreAllocations, strategy.CoreFrees);
        }
    }
}
