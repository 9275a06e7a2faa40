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

    /// <summary>
    /// <see cref="Pairs{TAllocator}"/> in runs of 16 (a loop of 16 pairs inside a loop of runs): the shape in which the
    /// JIT may hoist an allocator's thread-local read out of both loops, where it keeps it in the single loop.
    /// </summary>
    public static void PairsInRunsOf16<TAllocator>(TAllocator allocator, int pairs)
        where TAllocator : struct, INativeAllocator, allows ref struct
    {
        for (int run = 0; run < pairs / 16; run++)
        {
            for (int i = 0; i < 16; i++)
            {
                byte* block = (byte*)allocator.Allocate(BlockSize);
                Touch(block, i);
                allocator.Free(block);
            }
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

    /// <summary>
    /// <see cref="Outstanding16{TAllocator}"/> with two allocators used in turn, as a thread does with two size
    /// classes: even blocks come from <paramref name="first"/>, odd ones from <paramref name="second"/>, and each goes
    /// back to the allocator it came from. Every call switches allocator.
    /// </summary>
    public static void Outstanding16InTurn<TAllocator>(TAllocator first, TAllocator second, int rounds)
        where TAllocator : struct, INativeAllocator, allows ref struct
    {
        byte** held = stackalloc byte*[Outstanding];
        ReadOnlySpan<byte> order = FreeOrder;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < Outstanding; i += 2)
            {
                held[i] = (byte*)first.Allocate(BlockSize);
                Touch(held[i], i);
                held[i + 1] = (byte*)second.Allocate(BlockSize);
                Touch(held[i + 1], i);
            }

            for (int i = 0; i < Outstanding; i++)
            {
                int index = order[i];
                if ((index & 1) == 0)
                {
                    first.Free(held[index]);
                }
                else
                {
                    second.Free(held[index]);
                }
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
