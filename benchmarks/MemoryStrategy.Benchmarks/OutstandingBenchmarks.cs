using BenchmarkDotNet.Attributes;
namespace MemoryStrategy.Benchmarks;

/// <summary>
/// Group 2: 16 blocks of 64 bytes outstanding per thread (allocate 16, free them in another order). Times are per
/// allocate+free pair. Ratios are to <c>ArrayPool&lt;byte&gt;.Shared</c>, whose per-thread tier holds one array
/// per size, so 15 of every 16 rents reach its shared per-core stacks. <c>TwoPoolsInTurn</c> is a thread using two pools
/// in turn (two size classes), every call switching pool.
/// </summary>
[ShortJob]
public class OutstandingBenchmarks
{
    private const int Rounds = 64;
    private const int PairsPerInvoke = Rounds * Workloads.Outstanding;

    private readonly PoolFixtures _pools = new();

    [GlobalSetup]
    public void Setup() => _pools.Create();

    [GlobalCleanup]
    public void Cleanup() => _pools.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = PairsPerInvoke)]
    public void ArrayPoolShared() => Workloads.ArrayPoolOutstanding16(Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void Glibc() => Workloads.Outstanding16(new GlibcAllocator(), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void Mimalloc() => Workloads.Outstanding16(new MimallocAllocator(), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void PoolStrategy() => Workloads.Outstanding16(new PoolStrategyAllocator(_pools.Strategy), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void PoolStrategyStrict() => Workloads.Outstanding16(new PoolStrategyAllocator(_pools.StrictStrategy), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void TwoPoolsInTurn() =>
        Workloads.Outstanding16InTurn(new PoolStrategyAllocator(_pools.Strategy), new PoolStrategyAllocator(_pools.SecondStrategy), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void PoolScope() => Workloads.Outstanding16(new PoolScopeAllocator(_pools.Strategy.ForCurrentThread()), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void PoolCore() => Workloads.Outstanding16(new PoolCoreAllocator(_pools.Core), Rounds);
}
