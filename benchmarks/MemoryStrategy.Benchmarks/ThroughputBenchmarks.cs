using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>The allocators compared in the throughput group.</summary>
public enum Allocator
{
    Glibc,
    Mimalloc,
    ArrayPoolShared,
    PoolCore,
    PoolCoreStrict,
}

/// <summary>
/// Group 4: throughput on dedicated threads, 2 million allocate+free pairs of 64 bytes per thread. Times are per
/// pair over all threads (wall time / total pairs), so perfect scaling halves the time with two threads; the
/// ratio column is the two-thread time over the one-thread time of the same allocator.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ThroughputBenchmarks
{
    public const int PairsPerThread = 2_000_000;

    private DedicatedWorkers _one = null!;
    private DedicatedWorkers _two = null!;
    private FixedBlockPool _pool = null!;
    private Action _work = null!;

    [Params(Allocator.Glibc, Allocator.Mimalloc, Allocator.ArrayPoolShared, Allocator.PoolCore, Allocator.PoolCoreStrict)]
    public Allocator Allocator { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new FixedBlockPool(Workloads.BlockSize, 1 << 16, strict: Allocator == Allocator.PoolCoreStrict);
        FixedBlockPool pool = _pool;
        _work = Allocator switch
        {
            Allocator.Glibc => () => Workloads.Pairs(new GlibcAllocator(), PairsPerThread),
            Allocator.Mimalloc => () => Workloads.Pairs(new MimallocAllocator(), PairsPerThread),
            Allocator.ArrayPoolShared => () => Workloads.ArrayPoolPairs(PairsPerThread),
            Allocator.PoolCore or Allocator.PoolCoreStrict => () => Workloads.Pairs(new PoolCoreAllocator(pool), PairsPerThread),
            _ => throw new ArgumentOutOfRangeException(nameof(Allocator)),
        };
        _one = new DedicatedWorkers(1);
        _two = new DedicatedWorkers(2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _one.Dispose();
        _two.Dispose();
        _pool.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PairsPerThread)]
    public void OneThread() => _one.RunOnAll(_work);

    [Benchmark(OperationsPerInvoke = 2 * PairsPerThread)]
    public void TwoThreads() => _two.RunOnAll(_work);
}
