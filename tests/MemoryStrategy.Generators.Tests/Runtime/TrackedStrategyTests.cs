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
}
