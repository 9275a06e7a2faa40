using System.Numerics;

namespace MemoryStrategy.Samples;

/// <summary>
/// A bump arena: one native region handed out front to back by a single lock-free compare-and-swap per
/// allocation. Individual frees give no memory back (they only mark the block dead); the whole region is released
/// at once by <c>Dispose</c>. The fastest way to serve many short-lived allocations that die together (a request,
/// a frame, a parse).
/// </summary>
/// <remarks>
/// <para>
/// Frees are exact: the arena keeps one bit per alignment unit marking where a live block starts
/// (<see cref="ArenaRegion"/>), so a double free, an interior pointer and a foreign pointer are refused and counted,
/// and the statistics never show more frees than allocations. Exhaustion returns <see langword="null"/> and the
/// strategy reports <see cref="StrategyStatus.Degraded"/>; a request the arena could never serve (larger than its
/// capacity) is refused instead, without changing the status.
/// </para>
/// <para>
/// An arena collected without <c>Dispose</c> still returns its native memory (the region's finalizer).
/// </para>
/// </remarks>
[MemoryStrategy(Name = "BumpArena", MaxAllocationSize = 1 << 20)]
public sealed unsafe partial class BumpArenaStrategy
{
    private readonly ArenaRegion _region;
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
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="alignment"/> is not a power of two, or <paramref name="capacity"/> is smaller than it (no
    /// request could ever be served) or above <see cref="long.MaxValue"/>.
    /// </exception>
    /// <exception cref="OutOfMemoryException">The region cannot be allocated.</exception>
    public BumpArenaStrategy(nuint capacity, nuint alignment = 16)
    {
        if (alignment == 0 || !BitOperations.IsPow2(alignment))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "The alignment must be a power of two.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, alignment);

        // The offsets are longs (a CAS on _used): a larger region could not be addressed.
        ArgumentOutOfRangeException.ThrowIfGreaterThan((ulong)capacity, (ulong)long.MaxValue, nameof(capacity));
        _capacity = (long)capacity;
        _alignment = alignment;

        // A request of n bytes takes n rounded up to the alignment, so the largest one that can ever fit is the
        // capacity rounded down to it. Larger ones are refused by the generated code (counted as refused, status
        // unchanged) rather than reaching the core and being reported as exhaustion (Degraded).
        LimitMaxAllocationSize(capacity & ~(alignment - 1));
        _region = new ArenaRegion(capacity, alignment);
        _start = _region.Start;
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
                _region.MarkLive(used);
                return _start + used;
            }

            used = seen;
        }
    }

    /// <summary>
    /// Marks the block dead (its memory comes back with the whole region at <c>Dispose</c>). Returns false, changing
    /// nothing, for a pointer that is not the start of a live block: the generated code counts it as refused.
    /// </summary>
    [Deallocate]
    private bool Forget(void* ptr) => TryGetOffset(ptr, out long offset) && _region.TryMarkFree(offset);

    [Owns]
    private bool IsLiveBlock(void* ptr) => TryGetOffset(ptr, out long offset) && _region.IsLive(offset);

    /// <summary>Whether <paramref name="ptr"/> is an aligned address inside the part handed out so far.</summary>
    private bool TryGetOffset(void* ptr, out long offset)
    {
        // Volatile reads: a block handed out by another thread is inside the used range we read here once its
        // pointer has reached us; after the release below, nothing is.
        offset = (byte*)ptr - _start;
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
        _region.Dispose();
    }
}
