namespace MemoryStrategy.Benchmarks;

/// <summary>
/// One of the project's benchmark goals: <see cref="Measured"/> divided by <see cref="Baseline"/> (or, with no
/// baseline, the measured time in nanoseconds) must be at most <see cref="Limit"/>. Keys are
/// <c>Class.Method</c>, with <c>[Allocator=X]</c> appended for parameterised benchmarks. With
/// <see cref="NoAllocation"/>, the measured benchmark must also allocate nothing on the managed heap.
/// </summary>
internal sealed record Target(string Group, string Claim, string Measured, string? Baseline, double Limit, bool NoAllocation = false)
{
    /// <summary>Every goal, in its order.</summary>
    public static readonly Target[] All =
    [
        new("1", "pool, concrete type, <= 1.0x mimalloc", "SingleThreadPairBenchmarks.PoolStrategy", "SingleThreadPairBenchmarks.Mimalloc", 1.0),
        new("1", "pool through IMemoryStrategy <= 1.3x mimalloc", "SingleThreadPairBenchmarks.PoolInterface", "SingleThreadPairBenchmarks.Mimalloc", 1.3),
        new("1", "validated worker through IMemoryStrategy <= 1.6x mimalloc", "SingleThreadPairBenchmarks.PoolValidatedWorker", "SingleThreadPairBenchmarks.Mimalloc", 1.6),
        new("2", "pool, concrete type, 16 outstanding <= 1.5x mimalloc", "OutstandingBenchmarks.PoolStrategy", "OutstandingBenchmarks.Mimalloc", 1.5),
        new("2", "two pools used in turn, 16 outstanding, <= 1.1x one pool", "OutstandingBenchmarks.TwoPoolsInTurn", "OutstandingBenchmarks.PoolStrategy", 1.1),
        new("4", "two pools used in turn: 2 threads >= 1.8x one thread", Throughput("TwoThreads", "TwoPoolsInTurn"), Throughput("OneThread", "TwoPoolsInTurn"), 1 / 1.8),
        new("4", "(control) one pool, 16 outstanding: 2 threads >= 1.8x one thread", Throughput("TwoThreads", "PoolOutstanding"), Throughput("OneThread", "PoolOutstanding"), 1 / 1.8),
        new("1", "pool <= 0.35x glibc", "SingleThreadPairBenchmarks.PoolStrategy", "SingleThreadPairBenchmarks.Glibc", 0.35),
        new("1", "pool <= 0.7x ArrayPool.Shared", "SingleThreadPairBenchmarks.PoolStrategy", "SingleThreadPairBenchmarks.ArrayPoolShared", 0.7),
        new("1", "(scope) pool via ForCurrentThread() <= 0.35x glibc", "SingleThreadPairBenchmarks.PoolScope", "SingleThreadPairBenchmarks.Glibc", 0.35),
        new("1", "(scope) pool via ForCurrentThread() <= 0.7x ArrayPool.Shared", "SingleThreadPairBenchmarks.PoolScope", "SingleThreadPairBenchmarks.ArrayPoolShared", 0.7),
        new("1", "(scope) pool via ForCurrentThread() faster than mimalloc", "SingleThreadPairBenchmarks.PoolScope", "SingleThreadPairBenchmarks.Mimalloc", 1.0),
        new("1", "(engine alone) pool core <= 0.7x ArrayPool.Shared", "SingleThreadPairBenchmarks.PoolCore", "SingleThreadPairBenchmarks.ArrayPoolShared", 0.7),
        new("2", "pool, 16 outstanding <= 0.1x ArrayPool.Shared", "OutstandingBenchmarks.PoolStrategy", "OutstandingBenchmarks.ArrayPoolShared", 0.1),
        new("2", "(scope) pool via ForCurrentThread(), 16 outstanding <= 0.1x ArrayPool.Shared", "OutstandingBenchmarks.PoolScope", "OutstandingBenchmarks.ArrayPoolShared", 0.1),
        new("3", "generated wrappers <= 1.5x the core (aim 1.15x)", "WrapperCostBenchmarks.PoolStrategy", "WrapperCostBenchmarks.PoolCore", 1.5),
        new("3", "(scope) generated wrappers via ForCurrentThread() <= 1.5x the core", "WrapperCostBenchmarks.PoolScope", "WrapperCostBenchmarks.PoolCore", 1.5),
        new("3", "(information) wrappers with the default fault handlers vs the core", "WrapperCostBenchmarks.PoolStrategyWithHandlers", "WrapperCostBenchmarks.PoolCore", 1.5),
        new("3", "TrackAllocations <= 2x the untracked pass-through", "WrapperCostBenchmarks.PassThroughTracked", "WrapperCostBenchmarks.PassThroughUntracked", 2.0),
        new("4", "pool: 2 threads >= 1.8x one thread (time per pair <= 0.556x)", Throughput("TwoThreads", "PoolStrategy"), Throughput("OneThread", "PoolStrategy"), 1 / 1.8),
        new("4", "pool: 2-thread time per pair <= 0.3x glibc's", Throughput("TwoThreads", "PoolStrategy"), Throughput("TwoThreads", "Glibc"), 0.3),
        new("4", "(scope) pool via ForCurrentThread(): 2-thread time per pair <= 0.3x glibc's", Throughput("TwoThreads", "PoolScope"), Throughput("TwoThreads", "Glibc"), 0.3),
        new("4", "(scope) pool via ForCurrentThread(): 2 threads >= 1.8x one thread", Throughput("TwoThreads", "PoolScope"), Throughput("OneThread", "PoolScope"), 1 / 1.8),
        new("4", "(control) ArrayPool.Shared scales (two free cores give ~0.5x)", Throughput("TwoThreads", "ArrayPoolShared"), Throughput("OneThread", "ArrayPoolShared"), 1 / 1.8),
        new("4", "(control) mimalloc scales (two free cores give ~0.5x)", Throughput("TwoThreads", "Mimalloc"), Throughput("OneThread", "Mimalloc"), 1 / 1.8),
        new("4", "(control) glibc scales (two free cores give ~0.5x)", Throughput("TwoThreads", "Glibc"), Throughput("OneThread", "Glibc"), 1 / 1.8),
        new("4", "pool core: 2 threads >= 1.8x one thread", Throughput("TwoThreads", "PoolCore"), Throughput("OneThread", "PoolCore"), 1 / 1.8),
        new("4", "strict pool: 2 threads not slower per pair than one", Throughput("TwoThreads", "PoolStrategyStrict"), Throughput("OneThread", "PoolStrategyStrict"), 1.0),
        new("5", "ValidateAllocation <= 2 ns, 0 B allocated", "ValidatorBenchmarks.ValidateAllocation", null, 2.0, NoAllocation: true),
        new("5", "ValidateDeallocation <= 2 ns, 0 B allocated", "ValidatorBenchmarks.ValidateDeallocation", null, 2.0, NoAllocation: true),
    ];

    private static string Throughput(string method, string allocator) => $"ThroughputBenchmarks.{method}[Allocator={allocator}]";
}
