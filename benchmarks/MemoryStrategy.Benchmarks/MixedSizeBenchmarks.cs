using System.Buffers;
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
    private const int Pairs = 4096;

    private static readonly nuint[] Sizes = CreateSizes(Pairs, seed: 20261206);

    private SizeClassPoolStrategy _pool = null!;
    private SizeClassPoolStrategy _poolWithoutInnerStatistics = null!;
    private DedicatedWorkers? _workers;

    [Params(1, 16)]
    public int Outstanding { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new SizeClassPoolStrategy();
        _poolWithoutInnerStatistics = new SizeClassPoolStrategy(new SizeClassPoolOptions { InnerStatistics = false });
        _workers = Threads > 1 ? new DedicatedWorkers(Threads) : null;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _workers?.Dispose();
        _pool.Dispose();
        _poolWithoutInnerStatistics.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public void Glibc() => Run(() => Mixed(new GlibcAllocator(), Outstanding));

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void Mimalloc() => Run(() => Mixed(new MimallocAllocator(), Outstanding));

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void ArrayPoolShared() => Run(() => MixedArrayPool(Outstanding));

    [Benchmark(OperationsPerInvoke = Pairs)]
    public void SizeClassPool() => Run(() => Mixed(new SizeClassPoolAllocator(_pool), Outstanding));

    /// <summary>The same pool with <see cref="SizeClassPoolOptions.InnerStatistics"/> off: what the class pools' own counts cost.</summary>
    [Benchmark(OperationsPerInvoke = Pairs)]
    public void SizeClassPoolNoInnerStatistics() => Run(() => Mixed(new SizeClassPoolAllocator(_poolWithoutInnerStatistics), Outstanding));

    /// <summary>Sizes drawn from a fixed seed: 95% log-uniform in 16 B..4 KiB, 5% log-uniform in 4 KiB..64 KiB.</summary>
    internal static nuint[] CreateSizes(int count, int seed)
    {
        var random = new Random(seed);
        var sizes = new nuint[count];
        for (int i = 0; i < count; i++)
        {
            (double low, double high) = random.Next(20) == 0 ? (4096.0, 65536.0) : (16.0, 4096.0);
            sizes[i] = (nuint)Math.Round(Math.Exp(Math.Log(low) + (random.NextDouble() * (Math.Log(high) - Math.Log(low)))));
        }

        return sizes;
    }

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

    /// <summary>Allocates <paramref name="outstanding"/> blocks, then frees them (the second half first), over <see cref="Sizes"/>.</summary>
    private static unsafe void Mixed<TAllocator>(TAllocator allocator, int outstanding)
        where TAllocator : INativeAllocator
    {
        nuint[] sizes = Sizes;
        void** held = stackalloc void*[16];
        for (int start = 0; start < sizes.Length; start += outstanding)
        {
            for (int i = 0; i < outstanding; i++)
            {
                nuint size = sizes[start + i];
                byte* block = (byte*)allocator.Allocate(size);
                block[0] = (byte)i;
                block[size - 1] = (byte)i;
                held[i] = block;
            }

            for (int i = 0; i < outstanding; i++)
            {
                allocator.Free(held[(i + (outstanding / 2)) % outstanding]);
            }
        }
    }

    private static void MixedArrayPool(int outstanding)
    {
        ArrayPool<byte> pool = ArrayPool<byte>.Shared;
        nuint[] sizes = Sizes;
        byte[][] held = new byte[16][];
        for (int start = 0; start < sizes.Length; start += outstanding)
        {
            for (int i = 0; i < outstanding; i++)
            {
                int size = (int)sizes[start + i];
                byte[] array = pool.Rent(size);
                array[0] = (byte)i;
                array[size - 1] = (byte)i;
                held[i] = array;
            }

            for (int i = 0; i < outstanding; i++)
            {
                pool.Return(held[(i + (outstanding / 2)) % outstanding]);
            }
        }
    }
}

/// <summary>The size-class pool through its generated wrappers, on the concrete type.</summary>
internal readonly unsafe struct SizeClassPoolAllocator(SizeClassPoolStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}
