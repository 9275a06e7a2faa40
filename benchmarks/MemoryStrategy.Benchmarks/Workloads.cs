using System.Buffers;
using System.Runtime.CompilerServices;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The measured loops, shared by every benchmark group. Each block is written at both ends, so the JIT cannot
/// drop an allocation whose result is unused.
/// </summary>
internal static unsafe class Workloads
{
    /// <summary>The size of every request.</summary>
    public const int BlockSize = 64;

    /// <summary>Blocks held at once in the outstanding workload.</summary>
    public const int Outstanding = 16;

    /// <summary>Per thread, so the outstanding workload allocates nothing managed while measured.</summary>
    [ThreadStatic]
    private static byte[][]? t_heldArrays;

    /// <summary>The order the outstanding blocks are freed in: i * 7 mod 16, not the allocation order nor its reverse.</summary>
    private static ReadOnlySpan<byte> FreeOrder => [0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9];

    /// <summary>Allocate, touch, free; <paramref name="pairs"/> times.</summary>
    public static void Pairs<TAllocator>(TAllocator allocator, int pairs)
        where TAllocator : struct, INativeAllocator, allows ref struct
    {
        for (int i = 0; i < pairs; i++)
        {
            byte* block = (byte*)allocator.Allocate(BlockSize);
            Touch(block, i);
            allocator.Free(block);
        }
    }

    /// <summary>Allocate 16 and touch them, then free them in <see cref="FreeOrder"/>; <paramref name="rounds"/> times.</summary>
    public static void Outstanding16<TAllocator>(TAllocator allocator, int rounds)
        where TAllocator : struct, INativeAllocator, allows ref struct
    {
        byte** held = stackalloc byte*[Outstanding];
        ReadOnlySpan<byte> order = FreeOrder;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < Outstanding; i++)
            {
                held[i] = (byte*)allocator.Allocate(BlockSize);
                Touch(held[i], i);
            }

            for (int i = 0; i < Outstanding; i++)
            {
                allocator.Free(held[order[i]]);
            }
        }
    }

    /// <summary><see cref="Pairs{TAllocator}"/> for <c>ArrayPool&lt;byte&gt;.Shared</c>, which hands out arrays.</summary>
    public static void ArrayPoolPairs(int pairs)
    {
        ArrayPool<byte> pool = ArrayPool<byte>.Shared;
        for (int i = 0; i < pairs; i++)
        {
            byte[] array = pool.Rent(BlockSize);
            array[0] = (byte)i;
            array[BlockSize - 1] = (byte)i;
            pool.Return(array);
        }
    }

    /// <summary><see cref="Outstanding16{TAllocator}"/> for <c>ArrayPool&lt;byte&gt;.Shared</c>.</summary>
    public static void ArrayPoolOutstanding16(int rounds)
    {
        ArrayPool<byte> pool = ArrayPool<byte>.Shared;
        byte[][] held = t_heldArrays ??= new byte[Outstanding][];
        ReadOnlySpan<byte> order = FreeOrder;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < Outstanding; i++)
            {
                byte[] array = pool.Rent(BlockSize);
                array[0] = (byte)i;
                array[BlockSize - 1] = (byte)i;
                held[i] = array;
            }

            for (int i = 0; i < Outstanding; i++)
            {
                pool.Return(held[order[i]]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Touch(byte* block, int value)
    {
        block[0] = (byte)value;
        block[BlockSize - 1] = (byte)value;
    }
}
