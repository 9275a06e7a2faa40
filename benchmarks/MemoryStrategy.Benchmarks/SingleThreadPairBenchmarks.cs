using BenchmarkDotNet.Attributes;
namespace MemoryStrategy.Benchmarks;

/// <summary>
/// Group 1: one allocate+free pair of 64 bytes on one thread, per allocator. Ratios are to glibc. The pool runs
/// through its generated wrappers (<c>PoolStrategy</c>, what users call), through <see cref="IMemoryStrategy"/>
/// (<c>PoolInterface</c>), as the C interface's validated worker (<c>PoolValidatedWorker</c>), through the generated per-thread scope
/// (<c>PoolScope</c>, <c>ForCurrentThread()</c>) and as its bare engine (<c>PoolCore</c>).
/// </summary>
[ShortJob]
public class SingleThreadPairBenchmarks
{
    private const int Pairs = 1024;

    private readonly PoolFixtures _pools = new();

    [GlobalSetup]
    public void Setup() => _pools.Create();

    [GlobalCleanup]
    public void Cleanup() => _pools.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public void Glibc() => Workloads.Pairs(new GlibcAllocator(), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void ArrayPoolShared() => Workloads.ArrayPoolPairs(Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void Mimalloc() => Workloads.Pairs(new MimallocAllocator(), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolStrategy() => Workloads.Pairs(new PoolStrategyAllocator(_pools.Strategy), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolStrategyStrict() => Workloads.Pairs(new PoolStrategyAllocator(_pools.StrictStrategy), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolInterface() => Workloads.Pairs(new InterfaceAllocator(_pools.Strategy), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolValidatedWorker() => Workloads.Pairs(new ValidatedWorkerAllocator(_pools.Strategy), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolScope() => Workloads.Pairs(new PoolScopeAllocator(_pools.Strategy.ForCurrentThread()), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolCore() => Workloads.Pairs(new PoolCoreAllocator(_pools.Core), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolCoreStrict() => Workloads.Pairs(new PoolCoreAllocator(_pools.StrictCore), Pairs);
}
