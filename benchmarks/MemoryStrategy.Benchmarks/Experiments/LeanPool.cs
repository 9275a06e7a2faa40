using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Benchmarks.Experiments;

/// <summary>
/// The reference pool's fast path written by hand with every check the generated pool keeps, and nothing general:
/// a status word read on every call (Ready/Degraded serve, Faulted still frees), the size limit, an in-call mark
/// around each call (what lets Dispose wait for calls in flight), a per-block state byte (double, foreign, interior
/// and misaligned frees refused), the owner's side of the handshake that lets a thief take a live thread's parked
/// blocks (a busy flag stored, the steal lock read), and the statistics (allocations, bytes, live high-water mark,
/// frees). Its per-thread object is found with one thread-local read and one key compare, and
/// it holds the cache inline. Slow paths are stubs: the workload never reaches them once the cache is warm.
/// </summary>
/// <remarks>
/// An experiment, not a strategy: one instance per process and thread, and the block index stack is seeded with
/// 32 blocks. It measures what the checks themselves cost, so the distance between it and the generated pool is the
/// cost of the framework's generality (a tracker that any strategy shares, a table of per-strategy objects, the
/// generated wrapper's layering), and the distance between it and <see cref="ThreadLocalFreeList"/> the cost of the
/// checks. <typeparamref name="TLookup"/> is how it finds its per-thread object: <see cref="LastThreadLookup"/> (one
/// thread-local field holding the last object) or <see cref="SlotLookup"/> (the tracker's way: a per-thread array of
/// slots, one per strategy, so that several strategies used in turn each hit). <typeparamref name="TBlocks"/> is how it
/// maps a block to its address and back: <see cref="Blocks64"/> (64-byte blocks, compile-time shifts, never strict) or
/// <see cref="AnyBlocks"/> (the block size and strict mode chosen when the pool is made, as the reference pool's are:
/// a stride, a shift, a mask and an inverse loaded, the strict-mode flag tested on every free).
/// </remarks>
internal sealed unsafe class LeanPool<TLookup, TBlocks> : INativeAllocatorObject
    where TLookup : struct, ILeanThreadLookup
    where TBlocks : struct, ILeanBlocks
{
    private const int Capacity = 64;

    private readonly object _key = new();
    private readonly int* _status;
    private readonly nuint _maxSize;
    private readonly byte* _slab;
    private readonly byte* _states;
    private readonly nuint _blockCount;
    private readonly TBlocks _blocks;

    public LeanPool(TBlocks blocks, int blockCount)
    {
        _blocks = blocks;
        _maxSize = blocks.Stride;
        _blockCount = (nuint)blockCount;
        _slab = (byte*)NativeMemory.AlignedAlloc(blocks.Stride * (nuint)blockCount, 64);
        _states = (byte*)NativeMemory.AllocZeroed((nuint)blockCount);
        _status = (int*)NativeMemory.AllocZeroed(sizeof(int));
        *_status = (int)StrategyStatus.Ready;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        PerThread thread = Current();
        Volatile.Write(ref thread.InCall, thread.InCall + 1);
        if ((uint)Volatile.Read(ref *_status) - 1u < 2u && size - 1 < _maxSize && TryEnter(thread) && thread.Count != 0)
        {
            int index = thread.Items[--thread.Count];
            Volatile.Write(ref thread.Busy, 0);
            _states[index] = 1;
            long allocations = thread.Allocations + 1;
            thread.Allocations = allocations;
            thread.BytesRequested += (long)size;
            long live = allocations - thread.Deallocations;
            if (live > thread.LocalPeak)
            {
                thread.LocalPeak = live;
            }

            Volatile.Write(ref thread.InCall, thread.InCall - 1);
            return _slab + _blocks.OffsetOf(index);
        }

        Volatile.Write(ref thread.InCall, thread.InCall - 1);
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* block)
    {
        PerThread thread = Current();
        Volatile.Write(ref thread.InCall, thread.InCall + 1);
        if ((uint)Volatile.Read(ref *_status) - 1u < 3u && _blocks.TryIndex((nuint)block - (nuint)_slab, _blockCount, out nuint index)
            && TryMarkFree(index) && TryEnter(thread) && thread.Count != Capacity)
        {
            thread.Items[thread.Count++] = (int)index;
            Volatile.Write(ref thread.Busy, 0);
            thread.Deallocations++;
        }

        Volatile.Write(ref thread.InCall, thread.InCall - 1);
    }

    /// <summary>The status word, read as the generated <c>GetStatus</c> and status-only <c>Validate</c> read it.</summary>
    public StrategyStatus Status
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (StrategyStatus)Volatile.Read(ref *_status);
    }

    /// <summary>
    /// The generated <c>Owns</c> written by hand: the lookup and the in-call mark (a racing <c>Dispose</c> must not
    /// free the state bytes it reads), the status read, then range, alignment and the block's state byte.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Owns(void* block)
    {
        PerThread thread = Current();
        Volatile.Write(ref thread.InCall, thread.InCall + 1);
        bool owned = Volatile.Read(ref *_status) != (int)StrategyStatus.Disposed
            && _blocks.TryIndex((nuint)block - (nuint)_slab, _blockCount, out nuint index) && Volatile.Read(ref _states[index]) == 1;
        Volatile.Write(ref thread.InCall, thread.InCall - 1);
        return owned;
    }

    /// <summary>
    /// The block's state from allocated to free, as the reference pool's <c>TryMarkFree</c>: one compare-exchange in
    /// strict mode, a load and a store otherwise. (A free refused after this, by a thief or a full cache, would go to a
    /// slow path; the workload never meets one.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryMarkFree(nuint index)
    {
        ref byte state = ref _states[index];
        if (_blocks.Strict)
        {
            return Interlocked.CompareExchange(ref state, 0, 1) == 1;
        }

        if (state != 1)
        {
            return false;
        }

        state = 0;
        return true;
    }

    /// <summary>
    /// The owner's side of the pool's handshake with a thief (<c>PoolThread.TryEnter</c>): busy stored, then the steal
    /// lock read. A slow path that finds the lock taken would clear busy; the workload never meets one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryEnter(PerThread thread)
    {
        Volatile.Write(ref thread.Busy, 1);
        return Volatile.Read(ref thread.StealLock) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PerThread Current()
    {
        PerThread? found = TLookup.Find(_key);
        return found ?? CreateForThisThread();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private PerThread CreateForThisThread()
    {
        var thread = new PerThread(_key);
        for (int i = 0; i < 32; i++)
        {
            thread.Items[thread.Count++] = i;
        }

        TLookup.Remember(thread);
        return thread;
    }

}

/// <summary>The per-thread object of <see cref="LeanPool{TLookup, TBlocks}"/>: the checks' state and the cache, inline.</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal sealed unsafe class PerThread(object key)
{
    [FieldOffset(0)] public readonly object Key = key;
    [FieldOffset(8)] public readonly int* Items = (int*)NativeMemory.Alloc(64 * sizeof(int));
    [FieldOffset(16)] public int Count;
    [FieldOffset(20)] public int InCall;
    [FieldOffset(24)] public int StealLock;
    [FieldOffset(28)] public int Busy;
    [FieldOffset(64)] public long Allocations;
    [FieldOffset(72)] public long Deallocations;
    [FieldOffset(80)] public long BytesRequested;
    [FieldOffset(88)] public long LocalPeak;
}

/// <summary>How <see cref="LeanPool{TLookup, TBlocks}"/> finds the calling thread's object (one pool per process and lookup type).</summary>
internal interface ILeanThreadLookup
{
    static abstract PerThread? Find(object key);

    static abstract void Remember(PerThread thread);
}

/// <summary>One thread-local field: one load and one compare past the thread-local read.</summary>
internal struct LastThreadLookup : ILeanThreadLookup
{
    [ThreadStatic]
    private static PerThread? t_last;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PerThread? Find(object key)
    {
        PerThread? last = t_last;
        return last is not null && ReferenceEquals(last.Key, key) ? last : null;
    }

    public static void Remember(PerThread thread) => t_last = thread;
}

/// <summary>
/// The tracker's first check (<c>StatusTracker.ThreadSlots</c>): per-thread slots, one per strategy, the pool's at a
/// fixed index, in a pinned array whose address and length are thread-statics without references (kept in the
/// thread's own storage, one load past the thread-local access), the index compared with the length. One more
/// dependent load than a thread-static holding the object itself would need if that were stored the same way, the
/// price of serving any number of strategies in turn without writing a thread-local field on every switch.
/// </summary>
internal struct SlotLookup : ILeanThreadLookup
{
    internal const int Slot = 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PerThread? Find(object key) => LeanSlots.Find(Slot, key);

    public static void Remember(PerThread thread) => LeanSlots.Remember(Slot, thread);
}

/// <summary><see cref="SlotLookup"/> at the next slot: a second lean pool in the same process and thread.</summary>
internal struct NextSlotLookup : ILeanThreadLookup
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PerThread? Find(object key) => LeanSlots.Find(SlotLookup.Slot + 1, key);

    public static void Remember(PerThread thread) => LeanSlots.Remember(SlotLookup.Slot + 1, thread);
}

/// <summary>The thread's slots of <see cref="SlotLookup"/> and <see cref="NextSlotLookup"/>.</summary>
internal static unsafe class LeanSlots
{
    [ThreadStatic]
    private static PerThread?[]? t_slots;

    [ThreadStatic]
    private static nint t_slotsBase;

    [ThreadStatic]
    private static int t_slotsLength;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PerThread? Find(int slot, object key) => InSlots(t_slotsBase, t_slotsLength, slot, key);

    /// <summary>The pool's object in the <paramref name="slotsLength"/> slots at <paramref name="slotsBase"/>, when it is <paramref name="key"/>'s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PerThread? InSlots(nint slotsBase, int slotsLength, int slot, object key)
    {
        if ((uint)slot < (uint)slotsLength)
        {
            PerThread? thread = Unsafe.Add(ref Unsafe.AsRef<PerThread?>((void*)slotsBase), slot);
            if (thread is not null && ReferenceEquals(thread.Key, key))
            {
                return thread;
            }
        }

        return null;
    }

    public static void Remember(int slot, PerThread thread)
    {
        if (t_slots is null)
        {
            t_slots = GC.AllocateArray<PerThread?>(32, pinned: true);
            t_slotsBase = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_slots));
            t_slotsLength = t_slots.Length;
        }

        t_slots[slot] = thread;
    }
}

/// <summary>How <see cref="LeanPool{TLookup, TBlocks}"/> maps its blocks to addresses and back.</summary>
internal interface ILeanBlocks
{
    /// <summary>The distance between two blocks: the largest request served.</summary>
    nuint Stride { get; }

    /// <summary>Whether a free takes the block's state by compare-exchange.</summary>
    bool Strict { get; }

    /// <summary>The offset of block <paramref name="index"/> from the slab's start.</summary>
    nuint OffsetOf(int index);

    /// <summary>Whether <paramref name="offset"/> starts one of <paramref name="count"/> blocks, and which.</summary>
    bool TryIndex(nuint offset, nuint count, out nuint index);
}

/// <summary>64-byte blocks: compile-time shifts and masks, never strict.</summary>
internal readonly struct Blocks64 : ILeanBlocks
{
    private const int Shift = 6;

    public nuint Stride => 1 << Shift;

    public bool Strict => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public nuint OffsetOf(int index) => (nuint)index << Shift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryIndex(nuint offset, nuint count, out nuint index)
    {
        index = offset >> Shift;
        return (offset & ((1 << Shift) - 1)) == 0 && index < count;
    }
}

/// <summary>
/// Any block size and strict mode, chosen when the pool is made: the reference pool's mapping (<c>BlockIndexer</c>:
/// a subtraction, a mask, a shift and a multiplication by the stride's odd part's inverse) with its values loaded.
/// </summary>
internal readonly struct AnyBlocks : ILeanBlocks
{
    private readonly nuint _stride;
    private readonly nuint _lowMask;
    private readonly int _shift;
    private readonly nuint _oddInverse;
    private readonly bool _strict;

    public AnyBlocks(nuint stride, bool strict)
    {
        _stride = stride;
        _shift = System.Numerics.BitOperations.TrailingZeroCount(stride);
        _lowMask = ((nuint)1 << _shift) - 1;
        nuint odd = stride >> _shift;
        nuint inverse = odd;
        for (int step = 0; step < 5; step++)
        {
            inverse *= 2 - odd * inverse;
        }

        _oddInverse = inverse;
        _strict = strict;
    }

    public nuint Stride => _stride;

    public bool Strict => _strict;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public nuint OffsetOf(int index) => (nuint)(uint)index * _stride;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryIndex(nuint offset, nuint count, out nuint index)
    {
        index = (offset >> _shift) * _oddInverse;
        return (offset & _lowMask) == 0 && index < count;
    }
}

/// <summary>
/// <see cref="SlotLookup"/> with the thread found by its stack pointer instead of a thread-local read (the address of
/// a local: no call): a table of stack ranges, indexed by the 1 MiB granule of the stack pointer, each range naming its
/// thread's slots. What a lookup without the thread-local call would cost on CoreCLR, where that read is a call to
/// <c>__tls_get_addr</c>. Measured only, and safe only as the round-robin harness uses it (one measuring thread that
/// never exits): it registers the range [stack pointer - 512 KiB, + 64 KiB) without asking the system for the
/// thread's true bounds, and never retires it, where a real design needs both (a thread that exits must leave the
/// table before its stack can be reused; see docs/benchmarks.md).
/// </summary>
internal unsafe struct StackRangeLookup : ILeanThreadLookup
{
    private const int GranuleShift = 20;
    private const int TableMask = 63;

    private static readonly StackRange?[] s_table = new StackRange?[TableMask + 1];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PerThread? Find(object key)
    {
        byte marker;
        nuint stackPointer = (nuint)(&marker);
        StackRange? range = s_table[(int)(stackPointer >> GranuleShift) & TableMask];
        return range is not null && stackPointer - range.Low < range.Size
            ? LeanSlots.InSlots(range.SlotsBase, range.SlotsLength, SlotLookup.Slot, key)
            : null;
    }

    public static void Remember(PerThread thread)
    {
        byte marker;
        nuint stackPointer = (nuint)(&marker);
        PerThread?[] slots = GC.AllocateArray<PerThread?>(32, pinned: true);
        slots[SlotLookup.Slot] = thread;
        var range = new StackRange(stackPointer - (512 << 10), 576 << 10, slots);
        for (nuint granule = range.Low >> GranuleShift; granule <= (range.Low + range.Size - 1) >> GranuleShift; granule++)
        {
            s_table[(int)granule & TableMask] = range;
        }
    }

    /// <summary>One thread's stack range and its slots (immutable: a reader sees one range whole).</summary>
    private sealed class StackRange(nuint low, nuint size, PerThread?[] slots)
    {
        public readonly nuint Low = low;
        public readonly nuint Size = size;
        public readonly PerThread?[] Slots = slots;
        public readonly nint SlotsBase = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slots));
        public readonly int SlotsLength = slots.Length;
    }
}

/// <summary>An allocator object behind an interface: the dispatch a caller holding <c>IMemoryStrategy</c> pays.</summary>
internal unsafe interface INativeAllocatorObject
{
    StrategyStatus Status { get; }

    void* Allocate(nuint size);

    void Free(void* ptr);

    bool Owns(void* ptr);
}

/// <summary>
/// The C interface's validated worker over <see cref="LeanPool{TLookup, TBlocks}"/> through <see cref="INativeAllocatorObject"/>,
/// as <c>ValidatedWorkerAllocator</c> drives a strategy through <c>IMemoryStrategy</c>: before every allocation the
/// strategy's status (not Faulted or Disposed) and its status-only validation (Ready or Degraded); before every free
/// the same and <c>Owns</c>. What the worker's checks cost when the pool under them is the leanest one.
/// </summary>
/// <typeparam name="TBlocks">The pool's block mapping, never used but to give each pool type its own loop (a value type,
/// so that the loop is compiled for it alone, not shared), whose call sites' profiles (and the guarded devirtualization
/// they lead to) then see one type.</typeparam>
internal readonly unsafe struct LeanPoolValidatedWorkerAllocator<TBlocks>(INativeAllocatorObject pool) : INativeAllocator
    where TBlocks : struct, ILeanBlocks
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => IsValid() ? pool.Allocate(size) : null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        if (ptr is not null && IsValid() && pool.Owns(ptr))
        {
            pool.Free(ptr);
        }
    }

    // GetStatus, then Validate (which reads the status again), as StrategyValidator.ValidateStrategy calls them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsValid() =>
        pool.Status is not (StrategyStatus.Faulted or StrategyStatus.Disposed) && (uint)pool.Status - 1u < 2u;
}

/// <summary><see cref="LeanPool{TLookup, TBlocks}"/> through <see cref="INativeAllocatorObject"/>, as <c>InterfaceAllocator</c> calls the pool.</summary>
/// <typeparam name="TBlocks">The pool's block mapping, never used but to give each pool type its own loop (see
/// <see cref="LeanPoolValidatedWorkerAllocator{TBlocks}"/>).</typeparam>
internal readonly unsafe struct LeanPoolInterfaceAllocator<TBlocks>(INativeAllocatorObject pool) : INativeAllocator
    where TBlocks : struct, ILeanBlocks
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => pool.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => pool.Free(ptr);
}

/// <summary><see cref="LeanPool{TLookup, TBlocks}"/> as a workload allocator.</summary>
internal readonly unsafe struct LeanPoolAllocator<TLookup, TBlocks>(LeanPool<TLookup, TBlocks> pool) : INativeAllocator
    where TLookup : struct, ILeanThreadLookup
    where TBlocks : struct, ILeanBlocks
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => pool.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => pool.Free(ptr);
}
