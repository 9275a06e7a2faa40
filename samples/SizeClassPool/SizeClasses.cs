using System.Numerics;
using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// The size classes of <see cref="SizeClassPoolStrategy"/>: 16 B, 32 B, then two per power of two (1.5x and 2x:
/// 48, 64, 96, 128, … 24 KiB, 32 KiB), 22 classes. A request never wastes more than a third of its block above
/// 32 B (half at most with powers of two alone), and every class is a multiple of 16 B, so each block is 16-byte
/// aligned without padding.
/// </summary>
public static class SizeClasses
{
    /// <summary>The number of classes.</summary>
    public const int Count = 22;

    /// <summary>The smallest class: every block is at least this large.</summary>
    public const int Smallest = 16;

    /// <summary>The largest class: requests above it go to the fallback strategy.</summary>
    public const int Largest = 32 * 1024;

    /// <summary>The block size of class <paramref name="index"/> (0 &lt;= index &lt; <see cref="Count"/>).</summary>
    /// <param name="index">The class.</param>
    /// <returns>Its block size in bytes.</returns>
    public static nuint BlockSize(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (index < 2)
        {
            return (nuint)(16 << index);
        }

        // Index 2k + 2 is 1.5 * 32 * 2^k, index 2k + 3 is 2 * 32 * 2^k.
        int k = (index - 2) >> 1;
        nuint power = (nuint)32 << k;
        return (index & 1) == 0 ? power + (power >> 1) : power << 1;
    }

    /// <summary>
    /// The smallest class whose blocks hold <paramref name="size"/> bytes (1 &lt;= size &lt;= <see cref="Largest"/>):
    /// O(1), one leading-zero count and a few shifts, no table and no loop.
    /// </summary>
    /// <param name="size">The request, 1..<see cref="Largest"/> (not checked).</param>
    /// <returns>The class index.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(nuint size)
    {
        nuint last = size - 1;
        if (last < 32)
        {
            // 1..16 -> 0, 17..32 -> 1.
            return (int)(last >> 4);
        }

        // size is in (p, 2p] with p = 2^(b-1), b the bit length of size - 1 (b >= 6). The bit below the top of
        // size - 1 says whether size is above 1.5p: class 1.5p is 2b - 10, class 2p is 2b - 9.
        int bits = 64 - BitOperations.LeadingZeroCount((ulong)last);
        return (2 * bits) - 10 + (int)((last >> (bits - 2)) & 1);
    }
}
