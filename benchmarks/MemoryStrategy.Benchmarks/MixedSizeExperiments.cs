using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryStrategy.Benchmarks.Previous;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The size-class pool's class pools called directly through their nested entry points, routed by the caller as
/// the pool routes (class by <see cref="SizeClasses.IndexOf"/>, owner by address), the class pools' threads looked up
/// once per run and requests above 32 KiB sent to glibc: the inner pools' own cost, with no outer wrapper, no outer
/// statistics, no inner statistics and no fallback wrapper. One thread only (it holds that thread's objects).
/// </summary>
internal readonly unsafe struct ClassPoolsNestedAllocator : INativeAllocator
{
    private readonly MemoryPoolStrategy[] _pools;
    private readonly StrategyThread[] _threads;
    private readonly nuint _start;
    private readonly byte[] _owners;
    private readonly bool _statistics;

    public ClassPoolsNestedAllocator(SizeClassPoolStrategy pool, bool statistics = false)
    {
        _statistics = statistics;
        _pools = new MemoryPoolStrategy[SizeClasses.Count];
        _threads = new StrategyThread[SizeClasses.Count];
        for (int i = 0; i < SizeClasses.Count; i++)
        {
            _pools[i] = pool.ClassPool(i);
            _threads[i] = _pools[i].StatusTracker.CurrentThread;
        }

        _start = pool.ReservationStart;
        _owners = pool.ClassOwners;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        if (size <= SizeClasses.Largest)
        {
            int index = SizeClasses.IndexOf(size);
            void* block = _pools[index].AllocateNested(_threads[index], size, _statistics);
            if (block is not null)
            {
                return block;
            }
        }

        return NativeMemory.Alloc(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        nuint granule = ((nuint)ptr - _start) >> ClassReservation.GranuleShift;
        if (granule < (nuint)_owners.Length)
        {
            int index = _owners[(int)granule];
            _pools[index].DeallocateNested(_threads[index], ptr, _statistics);
        }
        else
        {
            NativeMemory.Free(ptr);
        }
    }
}

/// <summary>
/// The floor of the size-class design: the same routing (class by <see cref="SizeClasses.IndexOf"/>, owner by
/// the granule map of a reservation laid out as the pool's) over a trivial pool per class — a bump index and a LIFO array of
/// free blocks, single-threaded, no double-free check, no statistics — and glibc above 32 KiB. What the same work
/// costs with every pool's own cost removed: the routing, the memory the blocks touch and the tail's glibc calls.
/// </summary>
internal sealed unsafe class ToyClassLists : IDisposable
{
    private readonly ClassReservation _reservation;
    private readonly nint[][] _free = new nint[SizeClasses.Count][];
    private readonly int[] _freeCount = new int[SizeClasses.Count];
    private readonly int[] _fresh = new int[SizeClasses.Count];
    private readonly int[] _blocks = new int[SizeClasses.Count];

    /// <summary>Laid out as a <see cref="SizeClassPoolStrategy"/> built with <paramref name="options"/>.</summary>
    public ToyClassLists(SizeClassPoolOptions options)
    {
        for (int i = 0; i < SizeClasses.Count; i++)
        {
            _blocks[i] = options.BlocksOf(i);
            _free[i] = new nint[_blocks[i]];
        }

        _reservation = new ClassReservation(options.SlabBytes());
        Start = (nuint)_reservation.Start;
        Owners = _reservation.Owners;
    }

    public nuint Start { get; }

    public byte[] Owners { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        if (size <= SizeClasses.Largest)
        {
            int index = SizeClasses.IndexOf(size);
            int count = _freeCount[index];
            if (count != 0)
            {
                _freeCount[index] = count - 1;
                return (void*)_free[index][count - 1];
            }

            int fresh = _fresh[index];
            if (fresh < _blocks[index])
            {
                _fresh[index] = fresh + 1;
                return _reservation.Region(index) + ((nuint)fresh * SizeClasses.BlockSize(index));
            }
        }

        return NativeMemory.Alloc(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        nuint granule = ((nuint)ptr - Start) >> ClassReservation.GranuleShift;
        if (granule < (nuint)Owners.Length)
        {
            int index = Owners[(int)granule];
            _free[index][_freeCount[index]++] = (nint)ptr;
        }
        else
        {
            NativeMemory.Free(ptr);
        }
    }

    public void Dispose() => _reservation.Dispose();
}

/// <summary><see cref="ToyClassLists"/> as a workload sees it.</summary>
internal readonly unsafe struct ToyClassListsAllocator(ToyClassLists lists) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => lists.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => lists.Free(ptr);
}

/// <summary>
/// <see cref="ToyClassListsAllocator"/> with, on every call, the generated code's thread-local lookup of a strategy's
/// <see cref="StrategyThread"/> (<see cref="StatusTrackerHandle.ThreadIn"/>), its result kept alive and unused:
/// what the per-call lookup alone costs in this loop, next to a floor that has none.
/// </summary>
internal readonly unsafe struct ToyClassListsWithLookupAllocator(ToyClassLists lists, StatusTrackerHandle tracker) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        GC.KeepAlive(StatusTrackerHandle.ThreadIn(StatusTrackerHandle.CallerSlots, in tracker));
        return lists.Allocate(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        GC.KeepAlive(StatusTrackerHandle.ThreadIn(StatusTrackerHandle.CallerSlots, in tracker));
        lists.Free(ptr);
    }
}

/// <summary>
/// <see cref="ToyClassListsWithLookupAllocator"/> with the leanest lookup a thread-static allows
/// (<see cref="Experiments.SlotLookup"/>: the thread's slots at a constant index, no handle to read) in place of the
/// generated one: what any per-call lookup costs in this loop, where the JIT keeps the thread-local read in both inner
/// loops. Its key is never remembered, so every lookup reads the slot and misses, with no call: the same loads as a hit.
/// </summary>
internal readonly unsafe struct ToyClassListsWithLeanLookupAllocator(ToyClassLists lists, object key) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        GC.KeepAlive(Experiments.SlotLookup.Find(key));
        return lists.Allocate(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        GC.KeepAlive(Experiments.SlotLookup.Find(key));
        lists.Free(ptr);
    }
}

/// <summary>
/// <see cref="ToyClassListsWithLookupAllocator"/> with the thread found by its stack pointer
/// (<see cref="Experiments.StackRangeLookup"/>: no thread-local read, so no call) instead of the generated lookup: what
/// removing CoreCLR's thread-local call would save in this loop. Measured only (see that type's caveats); its table is
/// shared with the leanest pool's row, so a round that runs both re-registers the thread once at each switch.
/// </summary>
internal readonly unsafe struct ToyClassListsWithStackLookupAllocator(ToyClassLists lists, object key) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        GC.KeepAlive(Experiments.StackRangeLookup.Find(key) ?? Register(key));
        return lists.Allocate(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        GC.KeepAlive(Experiments.StackRangeLookup.Find(key) ?? Register(key));
        lists.Free(ptr);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Experiments.PerThread Register(object key)
    {
        var thread = new Experiments.PerThread(key);
        Experiments.StackRangeLookup.Remember(thread);
        return thread;
    }
}

/// <summary>The size-class pool through its generated <c>ForCurrentThread()</c> scope: the outer thread-local lookup paid once per pass.</summary>
internal readonly unsafe ref struct SizeClassPoolScopeAllocator : INativeAllocator
{
    private readonly SizeClassPoolStrategy.ThreadScope _scope;

    public SizeClassPoolScopeAllocator(SizeClassPoolStrategy.ThreadScope scope) => _scope = scope;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => _scope.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => _scope.Deallocate(ptr);
}

/// <summary>The size-class pool as first landed (<see cref="PreviousSizeClassPool"/>), through its generated wrappers.</summary>
internal readonly unsafe struct PreviousSizeClassPoolAllocator(PreviousSizeClassPool strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}

/// <summary>
/// The size-class pool's routing core (its <c>[Allocate]</c> and <c>[Deallocate]</c>) called directly with the pool's
/// thread held: no generated wrapper (no lookup, no status gate, no in-call guard, no outer statistics). One thread only.
/// </summary>
internal readonly unsafe struct SizeClassPoolCoreAllocator(SizeClassPoolStrategy pool, StrategyThread thread) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => pool.Route(size, thread);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => pool.RouteFree(ptr, thread);
}

/// <summary>
/// The generated wrapper rebuilt in pieces around the routing core (thread held, as through <c>ForCurrentThread()</c>):
/// with <typeparamref name="TGuard"/> on, the in-call mark (<see cref="StrategyThread.EnterCall"/>/<see cref="StrategyThread.ExitCall"/>)
/// and one status read per call; with <typeparamref name="TStatistics"/> on, the outer statistics record too. Which
/// piece of the wrapper costs what. One thread only.
/// </summary>
/// <remarks>
/// The pieces are type arguments, not fields: each combination is a loop of its own, compiled without the others'
/// branches and profiled on its own. With <see langword="bool"/> fields the three rows shared one compiled loop (one
/// generic instantiation over this struct), which kept every piece's branch in all of them and overstated each piece.
/// </remarks>
internal readonly unsafe struct WrapperPiecesAllocator<TGuard, TStatistics>(SizeClassPoolStrategy pool, StrategyThread thread) : INativeAllocator
    where TGuard : struct, IPiece
    where TStatistics : struct, IPiece
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        if (TGuard.On)
        {
            thread.EnterCall();
            if (pool.StatusTracker.Status != StrategyStatus.Ready)
            {
                thread.ExitCall();
                return null;
            }
        }

        void* block = pool.Route(size, thread);
        if (TStatistics.On)
        {
            pool.StatusTracker.RecordAllocation(thread, size, StrategyStatus.Ready);
        }

        if (TGuard.On)
        {
            thread.ExitCall();
        }

        return block;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        if (TGuard.On)
        {
            thread.EnterCall();
            if (pool.StatusTracker.Status != StrategyStatus.Ready)
            {
                thread.ExitCall();
                return;
            }
        }

        if (pool.RouteFree(ptr, thread) && TStatistics.On)
        {
            pool.StatusTracker.RecordDeallocation(thread);
        }

        if (TGuard.On)
        {
            thread.ExitCall();
        }
    }
}

/// <summary>A piece of <see cref="WrapperPiecesAllocator{TGuard, TStatistics}"/>, on or off: a constant to the JIT.</summary>
internal interface IPiece
{
    static abstract bool On { get; }
}

/// <summary>The piece is in.</summary>
internal readonly struct With : IPiece
{
    public static bool On => true;
}

/// <summary>The piece is out.</summary>
internal readonly struct Without : IPiece
{
    public static bool On => false;
}
