using System;

namespace MemoryStrategy;

/// <summary>
/// Where a strategy's blocks lie and how to tell an allocated one, in native memory, so that the C
/// <c>validate_deallocation</c> can answer the ownership question without calling into .NET: the blocks are
/// <see cref="Count"/> blocks, one every <c>2^Shift * m</c> bytes from <see cref="Start"/> (<c>m</c> odd, whose
/// inverse modulo 2^64 is <see cref="OddInverse"/>), and block <c>i</c> is allocated exactly when
/// <c>States[i] == Allocated</c>. A pointer is owned when <c>o = ptr - Start</c> has its low <see cref="Shift"/> bits
/// clear and <c>i = (o &gt;&gt; Shift) * OddInverse</c> (modulo 2^64) is below <see cref="Count"/>, with that state.
/// </summary>
/// <remarks>
/// The runtime publishes it only for a strategy created through a generated <c>prefix_create</c> export, whose
/// <c>prefix_destroy</c> takes the description back (and waits for any C thread still reading it) before the
/// strategy is disposed: the state bytes must stay readable until the strategy's <c>Dispose</c>.
/// </remarks>
public readonly unsafe struct NativeBlockOwnership
{
    /// <summary>Describes the blocks; see the type's summary for what each value means.</summary>
    /// <param name="start">The first block.</param>
    /// <param name="shift">The number of trailing zero bits of the stride.</param>
    /// <param name="oddInverse">The inverse modulo 2^64 of the stride's odd part (1 for a power of two).</param>
    /// <param name="count">The number of blocks.</param>
    /// <param name="states">One byte per block.</param>
    /// <param name="allocated">The state byte of an allocated block.</param>
    public NativeBlockOwnership(void* start, int shift, ulong oddInverse, ulong count, byte* states, byte allocated)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shift);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, 63);
        if (states == null)
        {
            throw new ArgumentNullException(nameof(states));
        }

        Start = start;
        Shift = shift;
        OddInverse = oddInverse;
        Count = count;
        States = states;
        Allocated = allocated;
    }

    /// <summary>The first block.</summary>
    public void* Start { get; }

    /// <summary>The number of trailing zero bits of the stride.</summary>
    public int Shift { get; }

    /// <summary>The inverse modulo 2^64 of the stride's odd part.</summary>
    public ulong OddInverse { get; }

    /// <summary>The number of blocks.</summary>
    public ulong Count { get; }

    /// <summary>One state byte per block.</summary>
    public byte* States { get; }

    /// <summary>The state byte of an allocated block.</summary>
    public byte Allocated { get; }
}

/// <summary>
/// A strategy whose <see cref="IMemoryStrategy.Owns"/> is a range, a stride and a state byte per block
/// (<see cref="NativeBlockOwnership"/>): the C <c>validate_deallocation</c> then answers in C, without a call into
/// .NET.
/// </summary>
public interface INativeBlockOwnership
{
    /// <summary>
    /// The description of the strategy's blocks, valid until the strategy is disposed, or false when it has none (its
    /// ownership is answered by <see cref="IMemoryStrategy.Owns"/> in .NET). Its answers must be exactly those of
    /// <see cref="IMemoryStrategy.Owns"/> while the strategy serves.
    /// </summary>
    /// <param name="blocks">The description.</param>
    /// <returns>Whether there is one.</returns>
    bool TryDescribeBlocks(out NativeBlockOwnership blocks);
}
