using System.Runtime.CompilerServices;
using MemoryStrategy.Reliability.Tests.Infrastructure;
using MemoryStrategy.Reliability.Tests.Strategies;

namespace MemoryStrategy.Reliability.Tests.Hygiene;

/// <summary>
/// Creating and disposing 100,000 strategies with native handles leaves nothing behind: every native struct (and the
/// GC handle it carries) is freed, and every strategy and status tracker can be collected, so no GC handle, no
/// thread-local statistics stripe and no registry keeps one alive.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed unsafe class ChurnTests
{
    private const int Strategies = 100_000;
    private const int SampleEvery = 1_000;

    [Fact]
    public void A_hundred_thousand_strategies_and_handles_leave_nothing_behind()
    {
        // Handles that earlier tests dropped are freed by the finalizer: let that happen before counting.
        CollectEverything();
        long blocksBefore = NativeStrategyHandle.LiveBlocks;

        (List<WeakReference> strategies, List<WeakReference> trackers) = Churn();
        CollectEverything();

        Assert.Equal(blocksBefore, NativeStrategyHandle.LiveBlocks);
        Assert.Equal(Strategies / SampleEvery, strategies.Count);
        Assert.All(strategies, strategy => Assert.False(strategy.IsAlive, "a strategy is still reachable"));

        // The calling thread's statistics cache remembers the last tracker it wrote: at most that one may survive.
        Assert.True(trackers.Count(t => t.IsAlive) <= 1, $"{trackers.Count(t => t.IsAlive)} status trackers are still reachable");
    }

    /// <summary>Half the handles are disposed, half are left to the finalizer: both paths must free the struct.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (List<WeakReference> Strategies, List<WeakReference> Trackers) Churn()
    {
        var strategies = new List<WeakReference>();
        var trackers = new List<WeakReference>();
        for (int i = 0; i < Strategies; i++)
        {
            var strategy = new TrackedHeap();
            NativeStrategyHandle handle = strategy.CreateNativeHandle();
            NativeMemoryStrategy* vtable = handle.Pointer;
            void* block = vtable->Allocate(vtable, 16);
            Assert.True(block != null);
            vtable->Deallocate(vtable, block);
            if ((i & 1) == 0)
            {
                handle.Dispose();
            }

            strategy.Dispose();
            if (i % SampleEvery == 0)
            {
                strategies.Add(new WeakReference(strategy));
                trackers.Add(new WeakReference(strategy.StatusTracker));
            }
        }

        return (strategies, trackers);
    }

    private static void CollectEverything()
    {
        // Two rounds: finalizers free the handles' structs, and what they kept alive goes in the next collection.
        for (int round = 0; round < 2; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        GC.Collect();
    }
}
