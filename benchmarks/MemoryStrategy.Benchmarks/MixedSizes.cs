using System.Buffers;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The mixed-size workload, shared by <see cref="MixedSizeBenchmarks"/> and the round-robin rows
/// (<see cref="MixedSizeRows"/>): a fixed, seeded size distribution, each block written at both ends, with 1 or 16
/// blocks outstanding (allocate them, then free them second half first).
/// </summary>
internal static unsafe class MixedSizes
{
    /// <summary>Allocate+free pairs in one pass over a size list.</summary>
    public const int Pairs = 4096;

    /// <summary>The random generator's starting value for every size list (so every run draws the same sizes).</summary>
    public const int Seed = 20261206;

    /// <summary>95% log-uniform in 16 B..4 KiB, 5% log-uniform in 4 KiB..64 KiB (so about 2.5% above 32 KiB).</summary>
    public static readonly nuint[] WithTail = Create(Pairs, Seed, tail: true);

    /// <summary>The same draw with no tail: every size log-uniform in 16 B..4 KiB.</summary>
    public static readonly nuint[] WithoutTail = Create(Pairs, Seed, tail: false);

    /// <summary>
    /// Sizes drawn from <paramref name="seed"/>: 95% log-uniform in 16 B..4 KiB and, with <paramref name="tail"/>,
    /// 5% log-uniform in 4 KiB..64 KiB (without it, those 5% are drawn from the small range too).
    /// </summary>
    public static nuint[] Create(int count, int seed, bool tail)
    {
        var random = new Random(seed);
        var sizes = new nuint[count];
        for (int i = 0; i < count; i++)
        {
            (double low, double high) = random.Next(20) == 0 && tail ? (4096.0, 65536.0) : (16.0, 4096.0);
            sizes[i] = (nuint)Math.Round(Math.Exp(Math.Log(low) + (random.NextDouble() * (Math.Log(high) - Math.Log(low)))));
        }

        return sizes;
    }

    /// <summary>Per thread: the blocks held (not a stackalloc, which would keep the loop out of tiered compilation and PGO).</summary>
    [ThreadStatic]
    private static nint[]? t_held;

    /// <summary>One pass over <paramref name="sizes"/>: allocate <paramref name="outstanding"/> (1..16) blocks, then free them, the second half first.</summary>
    public static void Run<TAllocator>(TAllocator allocator, nuint[] sizes, int outstanding)
        where TAllocator : INativeAllocator, allows ref struct
    {
        nint[] held = t_held ??= new nint[16];
        for (int start = 0; start < sizes.Length; start += outstanding)
        {
            for (int i = 0; i < outstanding; i++)
            {
                nuint size = sizes[start + i];
                byte* block = (byte*)allocator.Allocate(size);
                block[0] = (byte)i;
                block[size - 1] = (byte)i;
                held[i] = (nint)block;
            }

            for (int i = 0; i < outstanding; i++)
            {
                allocator.Free((void*)held[(i + (outstanding / 2)) % outstanding]);
            }
        }
    }

    /// <summary><see cref="Run{TAllocator}"/> for <c>ArrayPool&lt;byte&gt;.Shared</c>: Rent/Return of the same sizes.</summary>
    public static void RunArrayPool(nuint[] sizes, int outstanding, byte[][] held)
    {
        ArrayPool<byte> pool = ArrayPool<byte>.Shared;
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
