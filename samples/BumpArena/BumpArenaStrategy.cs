using System.Numerics;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// A bump arena: one native region handed out front to back by a single lock-free compare-and-swap per
/// allocation. Individual frees are accepted and do nothing; the whole region is released at once by
/// <c>Dispose</c>. The fastest way to serve many short-lived allocations that die together (a request, a frame,
/// a parse).
/// </summary>
/// <remarks>
/// <c>[Owns]</c> is a range check: any aligned address inside the part handed out so far is accepted, so freeing
/// a block twice is harmless (a no-op) and a foreign pointer is refused. Exhaustion returns
/// <see langword="null"/> and the strategy reports <see cref="StrategyStatus.Degraded"/>.
/// </remarks>
[MemoryStrategy(Name = "BumpArena", MaxAllocationSize = 1 << 20)]
public sealed unsafe partial class BumpArenaStrategy
{
    private readonly byte* _start;
    private readonly long _capacity;
    private readonly nuint _alignment;

    /// <summary>Bytes handed out so far, rounded up to the alignment. Only ever changed by CAS.</summary>
    private long _used;

    /// <summary>1 once the region is freed; from then on nothing is owned.</summary>
    private int _released;

    /// <summary>Creates an arena over a fresh native region of <paramref name="capacity"/> bytes.</summary>
    /// <param name="capacity">The size of the region.</param>
    /// <param name="alignment">The alignment of every allocation, a power of two (16 by default).</param>
    public BumpArenaStrategy(nuint capacity, nuint alignment = 16)
    {
        ArgumentOutOfRangeException.ThrowIfZero(capacity);
        if (alignment == 0 || !BitOperations.IsPow2(alignment))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "The alignment must be a power of two.");
        }

        _capacity = checked((long)capacity);
        _alignment = alignment;
        _start = (byte*)NativeMemory.AlignedAlloc(capacity, alignment);
    }

    /// <summary>The size of the region.</summary>
    public long Capacity => _capacity;

    /// <summary>Bytes handed out so far, alignment padding included.</summary>
    public long BytesUsed => Volatile.Read(ref _used);

    [Allocate]
    private void* Bump(nuint size)
    {
        long rounded = (long)((size + _alignment - 1) & ~(_alignment - 1));
        long used = Volatile.Read(ref _used);
        while (true)
        {
            long end = used + rounded;
            if (end > _capacity)
            {
                return null;
            }

            // A CAS rather than an add, so a request that does not fit leaves the counter alone and a smaller one
            // after it can still succeed. Winning makes [used, end) this caller's alone; the region was never
            // handed out before, so there is nothing to acquire.
            long seen = Interlocked.CompareExchange(ref _used, end, used);
            if (seen == used)
            {
                return _start + used;
            }

            used = seen;
        }
    }

    /// <summary>Individual frees do nothing: the region is released as a whole by <c>Dispose</c>.</summary>
    [Deallocate]
    private void Forget(void* ptr)
    {
    }

    [Owns]
    private bool IsInsideUsedRange(void* ptr)
    {
        // Volatile reads: a block handed out by another thread is inside the used range we read here once its
        // pointer has reached us; after the release below, nothing is.
        long offset = (byte*)ptr - _start;
        return Volatile.Read(ref _released) == 0
            && offset >= 0 && offset < Volatile.Read(ref _used)
            && ((nuint)offset & (_alignment - 1)) == 0;
    }

    [Validate]
    private bool UsedWithinCapacity() => Volatile.Read(ref _used) <= _capacity;

    [Cleanup]
    private void ReleaseRegion()
    {
        // Release store before the free: an Owns that reads 1 never looks at the freed region's range as live.
        Volatile.Write(ref _released, 1);
        NativeMemory.AlignedFree(_start);
    }
}
