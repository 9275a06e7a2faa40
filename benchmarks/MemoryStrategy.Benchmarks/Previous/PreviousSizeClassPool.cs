// A frozen copy of the size-class pool as first landed (equal power-of-two regions, the fallback through IMemoryStrategy,
// an object holding the inner threads): the point of comparison for the mixed-size figures in docs/benchmarks.md.
// Its generated wrapper and its class pools are today's, so the comparison isolates the routing core.
using System.Runtime.CompilerServices;

using System.Numerics;
using System.Runtime.InteropServices;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks.Previous;

// FaultOnCoreException = false: no exception handler on the hot path. The cores only route: the class pools cannot
// throw on their fast paths and leave nothing half-changed on their slow ones (see MemoryPoolStrategy), and a fallback
// is a generated strategy whose own wrapper faults it if its core throws. From C, the native thunks still catch.
[MemoryStrategy(Name = "PreviousSizeClassPool", MaxAllocationSize = Limit, FaultOnCoreException = false)]
internal sealed unsafe partial class PreviousSizeClassPool
{
    public const int Limit = 1 << 30;

    private readonly MemoryPoolStrategy[] _classes;
    private readonly IMemoryStrategy _fallback;
    private readonly PreviousClassReservation? _reservation;

    private readonly nuint _reservationStart;
    private readonly int _regionShift;

    private readonly bool _innerStatistics;

    private long _classOverflows;

    public PreviousSizeClassPool()
        : this(new SizeClassPoolOptions())
    {
    }

    public PreviousSizeClassPool(SizeClassPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SmallClassBlocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.LargeClassBlocks);
        ArgumentOutOfRangeException.ThrowIfZero(options.MaxAllocationSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxAllocationSize, (nuint)Limit);

        _innerStatistics = options.InnerStatistics;

        // The fallback first: if it cannot be taken over, nothing has been built yet.
        _classes = new MemoryPoolStrategy[SizeClasses.Count];
        IMemoryStrategy? supplied = options.Fallback;
        _fallback = supplied ?? new NativePassThroughStrategy();
        try
        {
            _fallback.StatusTracker.AttachTo(StatusTracker, "fallback");
        }
        catch when (supplied is null)
        {
            _fallback.Dispose();
            throw;
        }

        try
        {
            nuint largestSlab = 0;
            for (int i = 0; i < SizeClasses.Count; i++)
            {
                largestSlab = Math.Max(largestSlab, MemoryPoolStrategy.SlabBytes(SizeClasses.BlockSize(i), options.BlocksOf(i), 16));
            }

            _reservation = new PreviousClassReservation(SizeClasses.Count, largestSlab);
            _reservationStart = (nuint)_reservation.Start;
            _regionShift = _reservation.Shift;
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

            if (!_fallback.Validate())
            {
                throw new InvalidOperationException($"The fallback strategy '{_fallback.StatusTracker.Name}' is {_fallback.GetStatus()}: it cannot serve.");
            }

            LimitMaxAllocationSize(Math.Min(options.MaxAllocationSize, Math.Max((nuint)SizeClasses.Largest, _fallback.MaxAllocationSize)));
        }
        catch
        {
            // Disposing this strategy disposes whatever was built (the cleanup skips what was not).
            Dispose();
            throw;
        }
    }

    public long ClassOverflows => Volatile.Read(ref _classOverflows);

    public nuint ReservedBytes => _reservation?.Bytes ?? 0;

    public StatusTracker FallbackTracker => _fallback.StatusTracker;

    public StatusTracker ClassTracker(int index) => _classes[index].StatusTracker;

    public int ClassBlockCount(int index) => _classes[index].BlockCount;

    // Both cores take this strategy's StrategyThread (the generated wrapper looked it up for its own statistics): its
    // State holds the calling thread's StrategyThread of each class pool, so the pools are called through their
    // nested entry points with no thread-local lookup, no status gate and no size check of their own.
    [Allocate]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void* AllocateRouted(nuint size, StrategyThread thread)
    {
        if (size <= SizeClasses.Largest)
        {
            int index = SizeClasses.IndexOf(size);
            MemoryPoolStrategy pool = _classes[index];
            void* block = pool.AllocateNested(InnerThreadsOf(thread).Of(index, pool), size, _innerStatistics);
            if (block is not null)
            {
                return block;
            }

            // The class is exhausted: the fallback serves it (its pointers lie outside the reservation, so the free
            // finds it there). Atomic: any thread may overflow; this is off the fast path.
            Interlocked.Increment(ref _classOverflows);
        }

        return _fallback.Allocate(size);
    }

    [Deallocate]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FreeRouted(void* ptr, StrategyThread thread)
    {
        // A pointer below the reservation wraps to a huge offset, so one comparison sends everything outside it to
        // the fallback.
        nuint region = ((nuint)ptr - _reservationStart) >> _regionShift;
        if (region < SizeClasses.Count)
        {
            // The pool decides (range, alignment, allocated bit), counts a refusal itself, and tells us.
            MemoryPoolStrategy pool = _classes[region];
            return pool.DeallocateNested(InnerThreadsOf(thread).Of((int)region, pool), ptr, _innerStatistics);
        }

        return FreeInFallback(ptr);
    }

    private bool FreeInFallback(void* ptr)
    {
        bool owned = _fallback.Owns(ptr);
        _fallback.Deallocate(ptr);
        return owned;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static PreviousInnerThreads InnerThreadsOf(StrategyThread thread) =>
        thread.State as PreviousInnerThreads ?? CreateInnerThreads(thread);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PreviousInnerThreads CreateInnerThreads(StrategyThread thread)
    {
        var threads = new PreviousInnerThreads();
        thread.State = threads;
        return threads;
    }

    [Owns]
    private bool OwnsRouted(void* ptr)
    {
        nuint region = ((nuint)ptr - _reservationStart) >> _regionShift;
        return region < SizeClasses.Count ? _classes[region].Owns(ptr) : _fallback.Owns(ptr);
    }

    [Cleanup]
    private void DisposeInnerStrategies()
    {
        // This strategy is Disposed now, so its inner strategies may be disposed (see StatusTracker.AttachTo). The
        // class pools go before the reservation that holds their blocks. A constructor that failed part-way leaves
        // nulls behind.
        foreach (MemoryPoolStrategy? pool in _classes)
        {
            pool?.Dispose();
        }

        _fallback.Dispose();
        _reservation?.Dispose();
    }
}

internal sealed class PreviousInnerThreads
{
    private readonly StrategyThread?[] _classes = new StrategyThread?[SizeClasses.Count];

    public StrategyThread Of(int index, MemoryPoolStrategy pool) =>
        _classes[index] ?? Fill(index, pool);

    private StrategyThread Fill(int index, MemoryPoolStrategy pool) => _classes[index] = pool.StatusTracker.CurrentThread;
}


internal sealed unsafe class PreviousClassReservation : IDisposable
{
    private nint _start;

    public PreviousClassReservation(int regions, nuint regionBytes)
    {
        // Page-sized at least, so every region starts on a page (and so on a cache line, as the pools require).
        Shift = Math.Max(12, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((ulong)regionBytes)));
        Bytes = checked((nuint)regions << Shift);
        _start = (nint)NativeMemory.AlignedAlloc(Bytes, 4096);
    }

    public byte* Start => (byte*)_start;

    public int Shift { get; }

    public nuint Bytes { get; }

    public byte* Region(int index) => Start + ((nuint)index << Shift);

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    ~PreviousClassReservation() => Release();

    private void Release()
    {
        // Exchange, so a second Dispose frees nothing (a full fence; nothing else is ordered by it).
        NativeMemory.AlignedFree((void*)Interlocked.Exchange(ref _start, 0));
    }
}
