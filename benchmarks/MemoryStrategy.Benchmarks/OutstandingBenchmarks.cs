using BenchmarkDotNet.Attributes;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// Group 2: 16 blocks of 64 bytes outstanding per thread (allocate 16, free them in another order). Times are per
/// allocate+free pair. Ratios are to <c>ArrayPool&lt;byte&gt;.Shared</c>, whose per-thread tier holds one array
/// per size, so 15 of every 16 rents reach its shared per-core stacks.
/// </summary>
[ShortJob]
public class OutstandingBenchmarks
{
    private const int Rounds = 64;
    private const int PairsPerInvoke = Rounds * Workloads.Outstanding;

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

    [Benchmark(Baseline = true, OperationsPerInvoke = PairsPerInvoke)]
    public void ArrayPoolShared() => Workloads.ArrayPoolOutstanding16(Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void Glibc() => Workloads.Outstanding16(new GlibcAllocator(), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void Mimalloc() => Workloads.Outstanding16(new MimallocAllocator(), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void PoolCore() => Workloads.Outstanding16(new PoolCoreAllocator(_pool), Rounds);

    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void PoolCoreStrict() => Workloads.Outstanding16(new PoolCoreAllocator(_strictPool), Rounds);
}
