using BenchmarkDotNet.Attributes;

namespace MemoryStrategy.Benchmarks;

/// <summary>The allocators compared in the throughput group.</summary>
public enum Allocator
{
    Glibc,
    Mimalloc,
    ArrayPoolShared,
    PoolStrategy,
    PoolStrategyStrict,
    PoolScope,
    PoolCore,

    /// <summary>One pool, 16 blocks outstanding per thread.</summary>
    PoolOutstanding,

    /// <summary>Two pools used in turn by each thread, 16 blocks outstanding per thread.</summary>
    TwoPoolsInTurn,
}

/// <summary>
/// Group 4: throughput on dedicated threads, 2 million allocate+free pairs of 64 bytes per thread. Times are per
/// pair over all threads (wall time / total pairs), so perfect scaling halves the time with two threads; the
/// ratio column is each time over the one-thread time of the same allocator. The 4-, 8- and 16-thread runs are
/// left out on a machine with fewer cores (see <see cref="ThreadsOf"/>): oversubscribed, they would measure the
/// scheduler.
/// </summary>
[ThroughputJob]
public class ThroughputBenchmarks
{
    public const int PairsPerThread = 2_000_000;

    private readonly Dictionary<int, DedicatedWorkers> _workers = [];
    private readonly PoolFixtures _pools = new();
    private Action _work = null!;

    [ParamsAllValues]
    public Allocator Allocator { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pools.Create();
        PoolFixtures pools = _pools;
        _work = Allocator switch
        {
            Allocator.Glibc => () => Workloads.Pairs(new GlibcAllocator(), PairsPerThread),
            Allocator.Mimalloc => () => Workloads.Pairs(new MimallocAllocator(), PairsPerThread),
            Allocator.ArrayPoolShared => () => Workloads.ArrayPoolPairs(PairsPerThread),
            Allocator.PoolStrategy => () => Workloads.Pairs(new PoolStrategyAllocator(pools.Strategy), PairsPerThread),
            Allocator.PoolStrategyStrict => () => Workloads.Pairs(new PoolStrategyAllocator(pools.StrictStrategy), PairsPerThread),
            Allocator.PoolScope => () => Workloads.Pairs(new PoolScopeAllocator(pools.Strategy.ForCurrentThread()), PairsPerThread),
            Allocator.PoolCore => () => Workloads.Pairs(new PoolCoreAllocator(pools.Core), PairsPerThread),
            Allocator.PoolOutstanding => () => Workloads.Outstanding16(new PoolStrategyAllocator(pools.Strategy), PairsPerThread / Workloads.Outstanding),
            Allocator.TwoPoolsInTurn => () => Workloads.Outstanding16InTurn(
                new PoolStrategyAllocator(pools.Strategy), new PoolStrategyAllocator(pools.SecondStrategy), PairsPerThread / Workloads.Outstanding),
            _ => throw new ArgumentOutOfRangeException(nameof(Allocator)),
        };
        foreach (int threads in (int[])[1, 2, 4, 8, 16])
        {
            if (threads <= Math.Max(2, Environment.ProcessorCount))
            {
                _workers[threads] = new DedicatedWorkers(threads);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (DedicatedWorkers workers in _workers.Values)
        {
            workers.Dispose();
        }

        _pools.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PairsPerThread)]
    public void OneThread() => _workers[1].RunOnAll(_work);

    [Benchmark(OperationsPerInvoke = 2 * PairsPerThread)]
    public void TwoThreads() => _workers[2].RunOnAll(_work);

    [Benchmark(OperationsPerInvoke = 4 * PairsPerThread)]
    public void FourThreads() => _workers[4].RunOnAll(_work);

    [Benchmark(OperationsPerInvoke = 8 * PairsPerThread)]
    public void EightThreads() => _workers[8].RunOnAll(_work);

    [Benchmark(OperationsPerInvoke = 16 * PairsPerThread)]
    public void SixteenThreads() => _workers[16].RunOnAll(_work);

    /// <summary>The threads a benchmark method of this class runs, or 0 for a method of another class.</summary>
    public static int ThreadsOf(string method) => method switch
    {
        nameof(OneThread) => 1,
        nameof(TwoThreads) => 2,
        nameof(FourThreads) => 4,
        nameof(EightThreads) => 8,
        nameof(SixteenThreads) => 16,
        _ => 0,
    };
}
