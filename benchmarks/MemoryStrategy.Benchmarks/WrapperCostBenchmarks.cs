using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// Group 3: what the generated code costs. Two comparisons, each with its own baseline: the pool through its
/// generated <c>Allocate</c>/<c>Deallocate</c> against its engine called directly (and, for information, the same
/// pool with the default <c>FaultOnCoreException = true</c>), and the NativeMemory pass-through with
/// <c>TrackAllocations = true</c> against the same strategy without it.
/// </summary>
[ShortJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class WrapperCostBenchmarks
{
    private const int Pairs = 1024;
    private const string Wrappers = "wrappers";
    private const string Tracking = "tracking";

    private readonly PoolFixtures _pools = new();
    private Samples.NativePassThroughStrategy _tracked = null!;
    private UntrackedPassThroughStrategy _untracked = null!;
    private HandledPoolStrategy _handled = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pools.Create();
        _tracked = new Samples.NativePassThroughStrategy();
        _untracked = new UntrackedPassThroughStrategy();
        _handled = new HandledPoolStrategy(Workloads.BlockSize, 1 << 16);
        _handled.Validate();
        _tracked.Validate();
        _untracked.Validate();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pools.Dispose();
        _tracked.Dispose();
        _untracked.Dispose();
        _handled.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    [BenchmarkCategory(Wrappers)]
    public void PoolCore() => Workloads.Pairs(new PoolCoreAllocator(_pools.Core), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    [BenchmarkCategory(Wrappers)]
    public void PoolStrategy() => Workloads.Pairs(new PoolStrategyAllocator(_pools.Strategy), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    [BenchmarkCategory(Wrappers)]
    public void PoolScope() => Workloads.Pairs(new PoolScopeAllocator(_pools.Strategy.ForCurrentThread()), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    [BenchmarkCategory(Wrappers)]
    public void PoolStrategyWithHandlers() => Workloads.Pairs(new HandledPoolAllocator(_handled), Pairs);

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    [BenchmarkCategory(Tracking)]
    public void PassThroughUntracked() => Workloads.Pairs(new UntrackedPassThroughAllocator(_untracked), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    [BenchmarkCategory(Tracking)]
    public void PassThroughTracked() => Workloads.Pairs(new TrackedPassThroughAllocator(_tracked), Pairs);
}
