using BenchmarkDotNet.Attributes;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>Group 1: one allocate+free pair of 64 bytes on one thread, per allocator. Ratios are to glibc.</summary>
[ShortJob]
public class SingleThreadPairBenchmarks
{
    private const int Pairs = 1024;

    private FixedBlockPool _pool = null!;
    private FixedBlockPool _strictPool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new FixedBlockPool(Workloads.BlockSize, 1 << 16);
        _strictPool = new FixedBlockPool(Workloads.BlockSize, 1 << 16, strict: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pool.Dispose();
        _strictPool.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public void Glibc() => Workloads.Pairs(new GlibcAllocator(), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void ArrayPoolShared() => Workloads.ArrayPoolPairs(Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void Mimalloc() => Workloads.Pairs(new MimallocAllocator(), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolCore() => Workloads.Pairs(new PoolCoreAllocator(_pool), Pairs);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void PoolCoreStrict() => Workloads.Pairs(new PoolCoreAllocator(_strictPool), Pairs);
}
