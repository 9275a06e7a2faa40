namespace MemoryStrategy.Benchmarks;

/// <summary>
/// One of the benchmark targets: <see cref="Measured"/> divided by <see cref="Baseline"/> (or, with no
/// baseline, the measured time in nanoseconds) must be at most <see cref="Limit"/>. Keys are
/// <c>Class.Method</c>, with <c>[Allocator=X]</c> appended for parameterised benchmarks.
/// </summary>
internal sealed record Target(string Group, string Claim, string Measured, string? Baseline, double Limit)
{
    /// <summary>Every target of issue 5, in its order.</summary>
    public static readonly Target[] All =
    [
        new("1", "pool core <= 0.35x glibc", "SingleThreadPairBenchmarks.PoolCore", "SingleThreadPairBenchmarks.Glibc", 0.35),
        new("1", "pool core <= 0.7x ArrayPool.Shared", "SingleThreadPairBenchmarks.PoolCore", "SingleThreadPairBenchmarks.ArrayPoolShared", 0.7),
        new("1", "pool core faster than mimalloc", "SingleThreadPairBenchmarks.PoolCore", "SingleThreadPairBenchmarks.Mimalloc", 1.0),
        new("2", "pool core, 16 outstanding <= 0.1x ArrayPool.Shared", "OutstandingBenchmarks.PoolCore", "OutstandingBenchmarks.ArrayPoolShared", 0.1),
        new("4", "pool core: 2 threads >= 1.8x one thread (time per pair <= 0.556x)", "ThroughputBenchmarks.TwoThreads[Allocator=PoolCore]", "ThroughputBenchmarks.OneThread[Allocator=PoolCore]", 1 / 1.8),
        new("4", "pool core: 2-thread time per pair <= 0.3x glibc's", "ThroughputBenchmarks.TwoThreads[Allocator=PoolCore]", "ThroughputBenchmarks.TwoThreads[Allocator=Glibc]", 0.3),
        new("4", "strict pool core: 2 threads not slower per pair than one", "ThroughputBenchmarks.TwoThreads[Allocator=PoolCoreStrict]", "ThroughputBenchmarks.OneThread[Allocator=PoolCoreStrict]", 1.0),
    ];
}
