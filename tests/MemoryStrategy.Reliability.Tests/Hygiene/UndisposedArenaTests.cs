using System.Runtime.CompilerServices;
using MemoryStrategy.Reliability.Tests.Infrastructure;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Reliability.Tests.Hygiene;

/// <summary>
/// A strategy that owns native memory gives it back when it is collected without <c>Dispose</c>: 20,000 arenas that
/// were used and then dropped leave no native memory behind once the finalizers have run.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed unsafe class UndisposedArenaTests
{
    private const int Arenas = 20_000;
    private const uint ArenaBytes = 16 << 10;

    /// <summary>A leak of one arena region in ten would be 32 MB: far above the heap's noise.</summary>
    private const long HeapTolerance = 4 << 20;

    [Fact]
    public void Twenty_thousand_undisposed_arenas_leave_no_native_memory_behind()
    {
        CollectEverything();
        long regionsBefore = ArenaRegion.LiveBytes;
        long heapBefore = CHeap.BytesInUse();

        CreateAndDrop();
        CollectEverything();

        Assert.Equal(regionsBefore, ArenaRegion.LiveBytes);
        long heapGrowth = CHeap.BytesInUse() - heapBefore;
        Assert.True(heapGrowth < HeapTolerance, $"the C heap grew by {heapGrowth:N0} bytes over {Arenas:N0} undisposed arenas");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndDrop()
    {
        for (int i = 0; i < Arenas; i++)
        {
            IMemoryStrategy arena = new BumpArenaStrategy(ArenaBytes);
            void* block = arena.Allocate(64);
            arena.Deallocate(block);
        }
    }

    /// <summary>Bounded: three rounds of collection and finalization are enough for objects nothing references.</summary>
    private static void CollectEverything()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
