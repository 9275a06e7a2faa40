using System.Runtime.CompilerServices;
using MemoryStrategy.Reliability.Tests.Infrastructure;
using MemoryStrategy.Reliability.Tests.Strategies;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Reliability.Tests.Hygiene;

/// <summary>
/// Creating and disposing 100,000 strategies with native handles leaves nothing behind: every native struct (and the
/// GC handle it carries) is freed, every native slab goes back to the C heap, and every strategy and status tracker
/// can be collected, so no GC handle, no thread-local cache or `StrategyThread` and no registry keeps one alive.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed unsafe class ChurnTests
{
    private const int Strategies = 100_000;
    private const int SampleEvery = 1_000;

    /// <summary>The uncounted churn that runs first (see the test).</summary>
    private const int WarmUpStrategies = 10_000;

    /// <summary>A leak of one native allocation per strategy would be at least this many bytes: far above the noise.</summary>
    private const long HeapTolerance = 4 << 20;

    public static TheoryData<string> Kinds() => new() { "TrackedHeap", "MemoryPool" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_hundred_thousand_strategies_and_handles_leave_nothing_behind(string kind)
    {
        Func<IMemoryStrategy> create = kind == "MemoryPool" ? () => new MemoryPoolStrategy(64, 16) : () => new TrackedHeap();

        // A first, shorter churn that is not counted: what the runtime allocates once on the C heap for this code
        // (its compilation at each tier, type loads, the growth of its tables) happens there, not in the counted run.
        // A leak of one native allocation per strategy still shows: 100,000 of them are above the tolerance.
        Churn(create, WarmUpStrategies);

        // Handles that earlier tests (and the warm-up) dropped are freed by the finalizer: let that happen before counting.
        CollectEverything();
        long blocksBefore = NativeStrategyHandle.LiveBlocks;
        long heapBefore = CHeap.BytesInUse();

        (List<WeakReference> strategies, List<WeakReference> trackers) = Churn(create, Strategies);
        CollectEverything();

        Assert.Equal(blocksBefore, NativeStrategyHandle.LiveBlocks);
        long heapGrowth = CHeap.BytesInUse() - heapBefore;
        Assert.True(heapGrowth < HeapTolerance, $"the C heap grew by {heapGrowth:N0} bytes over {Strategies:N0} strategies");
        Assert.Equal(Strategies / SampleEvery, strategies.Count);

        // The calling thread's caches remember the last strategy it used (the pool's block cache keeps that pool): at
        // most the last sampled one may survive.
        Assert.True(strategies.Count(s => s.IsAlive) <= 1, $"{strategies.Count(s => s.IsAlive)} strategies are still reachable");
        Assert.True(trackers.Count(t => t.IsAlive) <= 1, $"{trackers.Count(t => t.IsAlive)} status trackers are still reachable");
    }

    /// <summary>
    /// Half the handles are disposed, half are left to the finalizer; a third of the strategies are never disposed
    /// (their finalizers must free what they hold): every path must give the memory back.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (List<WeakReference> Strategies, List<WeakReference> Trackers) Churn(Func<IMemoryStrategy> create, int count)
    {
        var strategies = new List<WeakReference>();
        var trackers = new List<WeakReference>();
        for (int i = 0; i < count; i++)
        {
            IMemoryStrategy strategy = create();
            NativeStrategyHandle handle = NativeHandles.Create(strategy);
            NativeMemoryStrategy* vtable = handle.Pointer;
            void* block = vtable->Allocate(vtable, 16);
            Assert.True(block != null);
            vtable->Deallocate(vtable, block);
            if ((i & 1) == 0)
            {
                handle.Dispose();
            }

            if (i % 3 != 0)
            {
                strategy.Dispose();
            }

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
