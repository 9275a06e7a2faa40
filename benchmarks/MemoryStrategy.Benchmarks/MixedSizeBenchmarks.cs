using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// One allocator for mixed sizes: a fixed, seeded size distribution (95% from 16 B to 4 KiB, log-uniform; 5% a tail
/// from 4 KiB to 64 KiB), each block written at both ends, with 1 or 16 blocks outstanding per thread, on 1 or 2
/// threads. The size-class pool against glibc (<c>NativeMemory</c>), mimalloc and <c>ArrayPool&lt;byte&gt;.Shared</c>
/// (Rent/Return of the same sizes). Times are per allocate+free pair of one thread: with 2 threads, both run their
/// pairs at once and the time is the wall time divided by one thread's pairs.
/// </summary>
[ShortJob]
public class MixedSizeBenchmarks
{
    /// <summary>Allocate+free pairs per thread per invocation.</summary>
    private const int Pairs = MixedSizes.Pairs;

    private SizeClassPoolStrategy _pool = null!;
    private SizeClassPoolStrategy _poolWithInnerStatistics = null!;
    private DedicatedWorkers? _workers;

    [Params(1, 16)]
    public int Outstanding { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new SizeClassPoolStrategy();
        _poolWithInnerStatistics = new SizeClassPoolStrategy(new SizeClassPoolOptions { InnerStatistics = true });
        _workers = Threads > 1 ? new DedicatedWorkers(Threads) : null;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _workers?.Dispose();
        _pool.Dispose();
        _poolWithInnerStatistics.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public void Glibc() => Run(() => MixedSizes.Run(new GlibcAllocator(), MixedSizes.WithTail, Outstanding));

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void Mimalloc() => Run(() => MixedSizes.Run(new MimallocAllocator(), MixedSizes.WithTail, Outstanding));

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void ArrayPoolShared() => Run(() => MixedSizes.RunArrayPool(MixedSizes.WithTail, Outstanding, new byte[16][]));

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void SizeClassPool() => Run(() => MixedSizes.Run(new SizeClassPoolAllocator(_pool), MixedSizes.WithTail, Outstanding));

    /// <summary>The same pool with <see cref="SizeClassPoolOptions.InnerStatistics"/> on: what the inner strategies' own counts cost.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public void SizeClassPoolInnerStatistics() => Run(() => MixedSizes.Run(new SizeClassPoolAllocator(_poolWithInnerStatistics), MixedSizes.WithTail, Outstanding));

    private void Run(Action work)
    {
        if (_workers is null)
        {
            work();
        }
        else
        {
            _workers.RunOnAll(work);
        }
    }
}

/// <summary>The size-class pool through its generated wrappers, on the concrete type.</summary>
/// <summary>An experiment: the size-class pool with each call kept out of the caller's loop (one call a request).</summary>
internal readonly unsafe struct SizeClassPoolCallAllocator(SizeClassPoolStrategy strategy) : INativeAllocator
{
    public void* Allocate(nuint size) => Allocate(strategy, size);

    public void Free(void* ptr) => Free(strategy, ptr);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void* Allocate(SizeClassPoolStrategy strategy, nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Free(SizeClassPoolStrategy strategy, void* ptr) => strategy.Deallocate(ptr);
}

internal readonly unsafe struct SizeClassPoolAllocator(SizeClassPoolStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}
