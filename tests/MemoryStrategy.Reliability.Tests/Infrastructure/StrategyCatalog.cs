using MemoryStrategy.Reliability.Tests.Strategies;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Reliability.Tests.Infrastructure;

/// <summary>Every strategy in samples/, and a generated pass-through with <c>TrackAllocations</c>, by name.</summary>
internal static class StrategyCatalog
{
    /// <summary>
    /// The hostile tests' pool has blocks of the largest size the pool strategy allows, so its limit and its block size
    /// agree; the load tests' pool has many 4 KiB blocks, enough for 8 threads' held and in-flight blocks.
    /// </summary>
    private const int PoolBlocks = 64;

    private const int LoadPoolBlocks = 16_384;

    /// <summary>Stamping sizes up to this stays within the time budget at 10^6 operations per thread.</summary>
    private const int LoadBound = 4096;

    public static IReadOnlyList<StrategyCase> All { get; } =
    [
        new("TrackedHeap", () => new TrackedHeap(), TrackedHeap.MaxSize, strategy =>
        {
            var heap = (TrackedHeap)strategy;
            return heap.Outstanding == 0 ? null : $"{heap.Outstanding} blocks still out of the C heap";
        }),
        new("MemoryPool", () => new MemoryPoolStrategy(MemoryPoolStrategy.MaxBlockSize, PoolBlocks), LoadBound, PoolBlocksFree)
        {
            CreateForLoad = () => new MemoryPoolStrategy(LoadBound, LoadPoolBlocks),
        },
        new("MemoryPool (strict)", () => new MemoryPoolStrategy(MemoryPoolStrategy.MaxBlockSize, PoolBlocks, strictDoubleFree: true), LoadBound, PoolBlocksFree)
        {
            CreateForLoad = () => new MemoryPoolStrategy(LoadBound, LoadPoolBlocks, strictDoubleFree: true),
        },
        // The arena keeps a live bit per block start (samples/BumpArena/ArenaRegion.cs): interior pointers and double
        // frees are refused and counted like every other strategy's, with no exception to document.
        new("BumpArena", () => new BumpArenaStrategy(256u << 20), 64, strategy => null),
        new("NativePassThrough", () => new NativePassThroughStrategy(), LoadBound, strategy => null),
    ];

    public static StrategyCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names() => new(All.Select(c => c.Name));

    /// <summary>A disposed pool reports the blocks still allocated when it went: none, if every block came back.</summary>
    private static string? PoolBlocksFree(IMemoryStrategy strategy)
    {
        var pool = (MemoryPoolStrategy)strategy;
        pool.Dispose();
        return pool.LeakedBlocks == 0 ? null : $"{pool.LeakedBlocks} blocks still allocated at Dispose";
    }
}
