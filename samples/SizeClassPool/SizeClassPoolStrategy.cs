using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// A general-purpose allocator built from strategies: requests of 1 B to 32 KiB are served by one reference pool
/// (<see cref="MemoryPoolStrategy"/>) per size class (<see cref="SizeClasses"/>: 16 B, 32 B, then 1.5x and 2x of
/// each power of two), larger ones by a fallback strategy (by default <see cref="NativePassThroughStrategy"/>,
/// <c>NativeMemory</c>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Routing.</b> Allocation picks the class in O(1) (<see cref="SizeClasses.IndexOf"/>: a leading-zero count and a
/// few shifts). A class that is exhausted passes the request to the fallback (counted in
/// <see cref="ClassOverflows"/>), so the pool degrades to the fallback's speed rather than failing. A free finds its
/// owner in O(1) too: every class's slab lies in one reservation, each starting on a 1 MiB granule, so a table of
/// about a hundred bytes indexed by <c>(ptr - start) &gt;&gt; 20</c> gives the class (<see cref="ClassReservation"/>),
/// and anything outside the reservation belongs to the fallback.
/// </para>
/// <para>
/// <b>Refusals.</b> The owner decides: a class pool refuses a pointer that is not the start of one of its allocated
/// blocks (a double free, an interior or foreign pointer), and the default fallback's live-pointer registry refuses
/// pointers it did not hand out. A refused free changes nothing and is counted as a refused deallocation of this
/// strategy (and of the inner strategy that refused it).
/// </para>
/// <para>
/// <b>Statistics.</b> This strategy's statistics count what its users asked for: one allocation per
/// <c>Allocate</c> served, whichever inner strategy served it. Each inner strategy keeps its own statistics,
/// readable from <see cref="ClassTracker"/> and <see cref="FallbackTracker"/>, and tagged in the meter with
/// <c>owner = "SizeClassPool"</c> and <c>role</c> (its class, <c>"64 B"</c>, or <c>"fallback"</c>): by default what
/// went wrong there (exhaustion, refused frees) and its status, and with
/// <see cref="SizeClassPoolOptions.InnerStatistics"/> all the traffic that reached it, at the cost of a second
/// record per call.
/// </para>
/// <para>
/// <b>Validation.</b> <c>Validate</c> checks every inner strategy too: one that is faulted or disposed makes this
/// strategy invalid (and faults it), since requests routed to it could not be served.
/// </para>
/// <para>
/// <b>Ownership of the inner strategies.</b> The pool creates its class pools and takes over the fallback: each is
/// attached to it (<see cref="StatusTracker.AttachTo"/>), so disposing one while the pool is alive throws, and the
/// pool's <c>Dispose</c> disposes them all. Blocks still allocated then are reported as this strategy's live
/// allocations and, per class, in each class pool's <see cref="MemoryPoolStrategy.LeakedBlocks"/>; the class blocks'
/// memory is released with the pool.
/// </para>
/// <para>
/// <c>NativeExport = "size_class_pool"</c> exports it to C: <c>size_class_pool_create(void)</c> builds one with the
/// defaults of <see cref="SizeClassPoolOptions"/>, <c>size_class_pool_destroy</c> disposes it. Its <c>allocate</c> and
/// <c>deallocate</c> then run in C for the class sizes (it describes its classes: <see cref="INativeSizeClasses"/>).
/// </para>
/// </remarks>
// FaultOnCoreException = false: no exception handler on the hot path. The cores only route: the class pools cannot
// throw on their fast paths and leave nothing half-changed on their slow ones (see MemoryPoolStrategy); the default
// fallback, called through its nested entry points, turns out-of-memory into null in its own core; a fallback of
// another type is called through its public members, out of line and under a handler of this pool's own, which faults
// that fallback and fails the request if it throws (see FallbackFailed). From C, the native thunks still catch.
[MemoryStrategy(Name = "SizeClassPool", MaxAllocationSize = Limit, NativeExport = "size_class_pool", FaultOnCoreException = false)]
public sealed unsafe partial class SizeClassPoolStrategy : INativeSizeClasses
{
    /// <summary>The largest request any size-class pool serves (1 GiB): the attribute's <c>MaxAllocationSize</c>.</summary>
    public const int Limit = 1 << 30;

    private readonly MemoryPoolStrategy[] _classes;
    private readonly IMemoryStrategy _fallback;
    private readonly ClassReservation? _reservation;

    /// <summary>The reservation's start and its granule-to-class map, copied out of it so the free path reads this object and the map only.</summary>
    private readonly nuint _reservationStart;
    private readonly byte[] _owners = [];

    /// <summary>Whether the class pools count what reaches them (<see cref="SizeClassPoolOptions.InnerStatistics"/>).</summary>
    private readonly bool _innerStatistics;

    /// <summary>Whether the fallback came from <see cref="SizeClassPoolOptions.Fallback"/> (the caller's until attached).</summary>
    private readonly bool _fallbackSupplied;

    /// <summary>
    /// The blocks a fallback other than a <see cref="NativePassThroughStrategy"/> served through this pool and that are
    /// still live here, so that their frees are counted as frees whatever that fallback's <c>Owns</c> can tell (null
    /// for the default fallback, whose nested entry points answer): see <see cref="FreeInFallback"/>.
    /// </summary>
    private readonly LivePointerRegistry? _fallbackBlocks;

    /// <summary>The first exception a supplied fallback threw (see <see cref="FallbackException"/>); set by CAS.</summary>
    private Exception? _fallbackException;

    /// <summary>Requests of an exhausted class that the fallback served. Incremented with Interlocked; read with Volatile.</summary>
    private long _classOverflows;

    /// <summary>
    /// Creates a pool with every default of <see cref="SizeClassPoolOptions"/>: 4,096 blocks in each class up to 4 KiB,
    /// 512 above, a <see cref="NativePassThroughStrategy"/> for larger requests, up to 1 GiB. It reserves 110 MiB of
    /// address space (<see cref="ReservedBytes"/>), of which a page becomes resident only when a block on it is first
    /// used.
    /// </summary>
    public SizeClassPoolStrategy()
        : this(new SizeClassPoolOptions())
    {
    }

    /// <summary>Creates a pool as <paramref name="options"/> say.</summary>
    /// <param name="options">Block counts, limit, fallback and double-free mode.</param>
    /// <remarks>
    /// A supplied <see cref="SizeClassPoolOptions.Fallback"/> is taken over only by a constructor that succeeds: it is
    /// validated first and attached last, so when construction fails (a fallback that cannot serve, address space that
    /// cannot be reserved) it is left as it was given, neither attached nor disposed, and can be passed again. The
    /// pool's <see cref="MaxAllocationSize"/> is what it can serve: the options' limit, lowered to the larger of the
    /// largest class and the fallback's limit (see <see cref="SizeClassPoolOptions.MaxAllocationSize"/>).
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A block count is not positive, or the limit is 0 or above <see cref="Limit"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// The fallback is already held by another strategy, or is this one, or cannot serve (Faulted, or its validation fails).
    /// </exception>
    /// <exception cref="ObjectDisposedException">The fallback is disposed.</exception>
    /// <exception cref="OutOfMemoryException">The address space for the classes' blocks cannot be reserved (the block counts are too large).</exception>
    public SizeClassPoolStrategy(SizeClassPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SmallClassBlocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.LargeClassBlocks);
        ArgumentOutOfRangeException.ThrowIfZero(options.MaxAllocationSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxAllocationSize, (nuint)Limit);

        _innerStatistics = options.InnerStatistics;

        // Before anything can use the tracker: every thread's object holds its inner objects in a field (InnerThreads).
        StatusTracker.SetThreadFactory(static () => new SizeClassPoolThread());

        // A supplied fallback is checked before anything is built, and taken over (attached) only once everything
        // else has been: a constructor that fails leaves it as it was given (see DisposeInnerStrategies).
        IMemoryStrategy? supplied = options.Fallback;
        if (supplied is not null)
        {
            if (supplied.GetStatus() == StrategyStatus.Disposed)
            {
                throw new ObjectDisposedException(
                    supplied.StatusTracker.Name, $"The fallback strategy '{supplied.StatusTracker.Name}' is disposed: a size-class pool cannot take it over.");
            }

            if (!supplied.Validate())
            {
                throw CannotServe(supplied);
            }
        }

        _classes = new MemoryPoolStrategy[SizeClasses.Count];
        _fallbackSupplied = supplied is not null;
        _fallback = supplied ?? new NativePassThroughStrategy();
        _fallbackBlocks = _fallback is NativePassThroughStrategy ? null : new LivePointerRegistry();
        try
        {
            _reservation = ReserveClasses(options);
            _reservationStart = (nuint)_reservation.Start;
            _owners = _reservation.Owners;
            for (int i = 0; i < SizeClasses.Count; i++)
            {
                nuint blockSize = SizeClasses.BlockSize(i);
                var pool = new MemoryPoolStrategy(blockSize, options.BlocksOf(i), 16, options.StrictDoubleFree, _reservation.Region(i));
                _classes[i] = pool;
                pool.StatusTracker.AttachTo(StatusTracker, $"{blockSize} B");

                // Validated now, while nothing else runs: the pool moves to Ready before its first request.
                if (!pool.Validate())
                {
                    throw new InvalidOperationException($"The {blockSize} B class pool failed its first validation.");
                }
            }

            // The default fallback is new, so it validates; a supplied one was validated above.
            if (supplied is null && !_fallback.Validate())
            {
                throw CannotServe(_fallback);
            }

            // Last: the one step that changes the caller's fallback. It still refuses a fallback held by another
            // strategy (or this one's owner chain), or disposed since the check above.
            _fallback.StatusTracker.AttachTo(StatusTracker, "fallback");

            // What the pool can really serve: a larger size is then refused as invalid before the core, instead of
            // reaching a fallback that refuses it and being counted here as exhaustion (Degraded).
            LimitMaxAllocationSize(Math.Min(options.MaxAllocationSize, Math.Max((nuint)SizeClasses.Largest, _fallback.MaxAllocationSize)));
        }
        catch
        {
            // Disposing this strategy disposes whatever was built (the cleanup skips what was not, and a supplied
            // fallback it did not take over).
            Dispose();
            throw;
        }
    }

    /// <summary>The error for a fallback whose validation failed.</summary>
    private static InvalidOperationException CannotServe(IMemoryStrategy fallback) =>
        new($"The fallback strategy '{fallback.StatusTracker.Name}' is {fallback.GetStatus()}: it cannot serve.");

    /// <summary>The classes' address space, or an <see cref="OutOfMemoryException"/> that says which options asked for too much.</summary>
    private static ClassReservation ReserveClasses(SizeClassPoolOptions options)
    {
        ReadOnlySpan<nuint> slabs = options.SlabBytes();
        try
        {
            return new ClassReservation(slabs);
        }
        catch (Exception error) when (error is OutOfMemoryException or OverflowException)
        {
            nuint total = 0;
            foreach (nuint slab in slabs)
            {
                total = unchecked(total + slab);
            }

            throw new OutOfMemoryException(
                $"The size-class pool could not reserve address space for its classes' blocks (about {total >> 20} MiB for " +
                $"SmallClassBlocks = {options.SmallClassBlocks} and LargeClassBlocks = {options.LargeClassBlocks}): lower them.",
                error);
        }
    }

    /// <summary>
    /// The first exception a supplied fallback threw, or null. Such a fallback is faulted and its request fails (an
    /// allocation returns null, a free is refused) instead of the exception reaching the caller: this pool has no
    /// exception handlers on its paths (<c>FaultOnCoreException = false</c>), and an exception through them would leave
    /// the calling thread marked in a call, so that <see cref="Dispose"/> would wait for that thread to exit.
    /// </summary>
    public Exception? FallbackException => Volatile.Read(ref _fallbackException);

    /// <summary>Requests of an exhausted class that the fallback served instead.</summary>
    public long ClassOverflows => Volatile.Read(ref _classOverflows);

    /// <summary>The address space reserved for the class pools' blocks.</summary>
    public nuint ReservedBytes => _reservation is { Start: not null } reservation ? reservation.Bytes : 0;

    /// <summary>The tracker of the fallback strategy: its status and statistics (what reached it).</summary>
    public StatusTracker FallbackTracker => _fallback.StatusTracker;

    /// <summary>The tracker of class <paramref name="index"/>'s pool: its status and statistics (what reached it).</summary>
    /// <param name="index">The class, 0 .. <see cref="SizeClasses.Count"/> - 1 (see <see cref="SizeClasses.IndexOf"/>).</param>
    /// <returns>The class pool's tracker.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a class.</exception>
    public StatusTracker ClassTracker(int index) => ClassAt(index).StatusTracker;

    /// <summary>The number of blocks class <paramref name="index"/> holds.</summary>
    /// <param name="index">The class, 0 .. <see cref="SizeClasses.Count"/> - 1.</param>
    /// <returns>Its block count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a class.</exception>
    public int ClassBlockCount(int index) => ClassAt(index).BlockCount;

    /// <summary>Class <paramref name="index"/>'s pool, for the public accessors: an argument error, naming the range, for any other index.</summary>
    private MemoryPoolStrategy ClassAt(int index)
    {
        if ((uint)index >= (uint)_classes.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(index), index, $"The class index must be 0 .. {SizeClasses.Count - 1} (SizeClasses.Count - 1).");
        }

        return _classes[index];
    }

    /// <summary>Class <paramref name="index"/>'s pool, for the benchmarks' experiments that call the class pools directly.</summary>
    internal MemoryPoolStrategy ClassPool(int index) => _classes[index];

    /// <summary>The first byte of the class pools' reservation: the owner of a pointer is <c>ClassOwners[(ptr - start) &gt;&gt; 20]</c>.</summary>
    internal nuint ReservationStart => _reservationStart;

    /// <summary>The class of each 1 MiB granule of the reservation (see <see cref="ClassReservation"/>).</summary>
    internal byte[] ClassOwners => _owners;

    // Both cores take this strategy's StrategyThread (the generated wrapper looked it up for its own statistics): a
    // SizeClassPoolThread, which holds the calling thread's StrategyThread of each class pool and of the default
    // fallback, so those are called through their nested entry points with no thread-local lookup, no status gate and
    // no size check of their own.
    [Allocate]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void* AllocateRouted(nuint size, StrategyThread thread) => Route(size, thread);

    [Deallocate]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FreeRouted(void* ptr, StrategyThread thread) => RouteFree(ptr, thread);

    /// <summary>
    /// The allocation core. Internal (not private) only so that the benchmarks can time the routing without the
    /// generated wrapper; everything else calls it through <c>Allocate</c>.
    /// </summary>
    /// <param name="size">1..<c>MaxAllocationSize</c>, checked by the wrapper.</param>
    /// <param name="thread">This strategy's <see cref="StrategyThread"/> of the calling thread.</param>
    /// <returns>The block, or null when the class and the fallback are exhausted.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void* Route(nuint size, StrategyThread thread)
    {
        // Inner statistics off (the default): the nested entry points get a constant, so their test folds away and the
        // loop keeps no flag across the call; on, the call goes out of line.
        if (size <= SizeClasses.Largest && !_innerStatistics)
        {
            void* block = AllocateInClass(size, thread, recordStatistics: false);
            if (block is not null)
            {
                return block;
            }

            // The class is exhausted: the fallback serves it (its pointers lie outside the reservation, so the free
            // finds it there).
            return Overflow(size, thread);
        }

        return AllocateOutOfLine(size, thread);
    }

    /// <summary>An exhausted class's request, sent to the fallback; counted in <see cref="ClassOverflows"/> when served.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void* Overflow(nuint size, StrategyThread thread)
    {
        void* block = AllocateInFallback(size, thread);
        if (block is not null)
        {
            // Atomic: any thread may overflow; this is off the fast path.
            Interlocked.Increment(ref _classOverflows);
        }

        return block;
    }

    /// <summary>The rest of <see cref="Route"/>: inner statistics on, a size above the classes, an exhausted class.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void* AllocateOutOfLine(nuint size, StrategyThread thread)
    {
        if (size <= SizeClasses.Largest && _innerStatistics)
        {
            void* block = AllocateInClass(size, thread, recordStatistics: true);
            return block is not null ? block : Overflow(size, thread);
        }

        return AllocateInFallback(size, thread);
    }

    /// <summary>A block of <paramref name="size"/>'s class, from the class pool's nested entry point; null when it is exhausted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void* AllocateInClass(nuint size, StrategyThread thread, bool recordStatistics)
    {
        int index = SizeClasses.IndexOf(size);
        MemoryPoolStrategy pool = _classes[index];
        return pool.AllocateNested(InnerThreads.Get(InnerThreads.Of(thread), index, pool), size, recordStatistics);
    }

    /// <summary>The free core (see <see cref="Route"/>): whether the owner took the block back.</summary>
    /// <param name="ptr">Not null, checked by the wrapper.</param>
    /// <param name="thread">This strategy's <see cref="StrategyThread"/> of the calling thread.</param>
    /// <returns>Whether the block was taken back.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool RouteFree(void* ptr, StrategyThread thread)
    {
        // Everything outside the reservation goes to the fallback (out of line, with the inner statistics' case: see
        // Route).
        nuint granule = GranuleOf(ptr);
        return granule < (nuint)_owners.Length && !_innerStatistics
            ? FreeInClass(granule, ptr, thread, recordStatistics: false)
            : FreeOutOfLine(granule, ptr, thread);
    }

    /// <summary>The rest of <see cref="RouteFree"/>: inner statistics on, or a pointer outside the reservation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FreeOutOfLine(nuint granule, void* ptr, StrategyThread thread) =>
        granule < (nuint)_owners.Length
            ? FreeInClass(granule, ptr, thread, recordStatistics: true)
            : FreeInFallback(ptr, thread);

    /// <summary>
    /// The granule of the reservation <paramref name="ptr"/> lies in: below the owner map's length exactly when
    /// <paramref name="ptr"/> is inside the reservation (a pointer below it wraps to a huge offset, so one comparison
    /// sends everything outside it to the fallback).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private nuint GranuleOf(void* ptr) => ((nuint)ptr - _reservationStart) >> ClassReservation.GranuleShift;

    /// <summary>Returns <paramref name="ptr"/> to the class pool that owns its granule, which decides and counts a refusal itself.</summary>
    /// <param name="granule">The granule of the reservation, below the owner map's length.</param>
    /// <param name="ptr">The block, in that granule.</param>
    /// <param name="thread">This strategy's <see cref="StrategyThread"/> of the calling thread.</param>
    /// <param name="recordStatistics">Whether the class pool counts the free in its own statistics.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FreeInClass(nuint granule, void* ptr, StrategyThread thread, bool recordStatistics)
    {
        // The map read skips its bounds check: the caller compared the granule with the map's length.
        int index = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_owners), granule);
        MemoryPoolStrategy pool = _classes[index];
        return pool.DeallocateNested(InnerThreads.Get(InnerThreads.Of(thread), index, pool), ptr, recordStatistics);
    }

    // The generated Owns around this core made the lookup, the in-call mark and the status test for the inner
    // strategies too: the class pools and the default fallback answer through OwnsNested, with none of their own.
    [Owns]
    private bool OwnsRouted(void* ptr)
    {
        nuint granule = GranuleOf(ptr);
        if (granule < (nuint)_owners.Length)
        {
            return _classes[_owners[(int)granule]].OwnsNested(ptr);
        }

        // A block a fallback of another type served through this pool is known here, whatever its own Owns can tell.
        return _fallback is NativePassThroughStrategy native
            ? native.OwnsNested(ptr)
            : _fallbackBlocks!.Contains((nint)ptr) || _fallback.Owns(ptr);
    }
}
