using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// One thread's place in one pool: the tracker's <see cref="StrategyThread"/> (statistics, the in-call mark) with the
/// thread's stack of free block indices in fields of its own, so the hot path reaches the cache in the object the
/// generated wrapper already looked up. The owning thread's common allocate/free pair needs no atomic instruction and
/// writes no cache line another thread writes; another thread that finds the pool otherwise empty may still take the
/// blocks parked here (<see cref="TryLockForSteal"/>), so no block is stranded in the cache of a live but idle thread.
/// </summary>
/// <remarks>
/// <para>
/// <b>The owner and a thief never touch <see cref="Items"/> and <see cref="Count"/> at once</b>, by an asymmetric
/// Dekker handshake. The owner brackets every access with <see cref="TryEnter"/> (a plain store of 1 to
/// <see cref="_busy"/>, then a read of <see cref="_stealLock"/>) and <see cref="Exit"/> (a release store of 0). A
/// thief takes <see cref="_stealLock"/> by CAS, runs <see cref="Interlocked.MemoryBarrierProcessWide"/>, then waits
/// for <see cref="_busy"/> to read 0. The process-wide barrier executes a full fence on every core that runs a
/// thread of the process: if the owner's store of 1 came before that fence on its core, the barrier drained it
/// and the thief's later read sees it (and waits); if it came after, the owner's following read of the lock comes
/// after the thief's CAS was globally visible, sees it taken, and the owner backs off. Either way they never both
/// proceed. The owner pays two plain stores and one load to its own line; the thief, who is about to report
/// exhaustion otherwise, pays the barrier.
/// </para>
/// <para>
/// The tracker creates one per thread through the pool's factory (<see cref="StatusTracker.SetThreadFactory"/>) and
/// hands it to a thread that starts using the pool after the owner exited, cache included (the tracker changes the
/// owner by CAS, away from an exited thread only): the blocks an exited thread parked keep serving. The hot fields
/// sit in a 64-byte line after the base type's 192 bytes, padded to 128, so two threads' objects never share it even
/// when the GC places them side by side.
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal sealed unsafe class PoolThread : StrategyThread
{
    /// <summary>The stack of free block indices, in native memory: no bounds checks, no GC header next to it.</summary>
    [FieldOffset(0)] public int* Items;

    /// <summary>How many indices <see cref="Items"/> holds; the top is <c>Items[Count - 1]</c>.</summary>
    [FieldOffset(8)]
    [BenignRace("Owner and thief exclude each other by the TryEnter/Exit and TryLockForSteal handshake (see the remarks), which the analyzer does not read as a lock; outside it, only the thief's Volatile.Read pre-check reads it, and a stale value only skips or retries a steal.")]
    public int Count;

    /// <summary>The most indices <see cref="Items"/> can hold.</summary>
    [FieldOffset(12)] public readonly int Capacity;

    /// <summary>1 while the owner is inside <see cref="TryEnter"/>..<see cref="Exit"/>; written by the owner only.</summary>
    [FieldOffset(16)] private int _busy;

    /// <summary>1 while a thief holds the cache; taken by CAS, released by a volatile store, read by the owner.</summary>
    [FieldOffset(20)] private int _stealLock;

    /// <summary>
    /// Ends the fields at 128 bytes (the runtime does not extend a class to its <c>StructLayout</c> size): the next
    /// object, perhaps another thread's, starts at least a line after the hot fields above.
    /// </summary>
#pragma warning disable CS0169 // Never read or written: it only takes up the space.
    [FieldOffset(120)] private readonly long _tailPadding;
#pragma warning restore CS0169

    public PoolThread(int capacity)
    {
        Capacity = capacity;
        Items = (int*)NativeMemory.AlignedAlloc((nuint)capacity * sizeof(int), 64);
    }

    /// <summary>
    /// The owner's entry: true when the cache is this thread's until <see cref="Exit"/>; false (nothing held) while a
    /// thief holds it, in which case the caller takes its slow path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnter()
    {
        // Both accesses volatile, so the JIT keeps the store before the load; the hardware may still let the load
        // pass the store (store buffer), which the thief's process-wide barrier closes (see the remarks).
        Volatile.Write(ref _busy, 1);
        if (Volatile.Read(ref _stealLock) == 0)
        {
            return true;
        }

        Volatile.Write(ref _busy, 0);
        return false;
    }

    /// <summary>The owner's exit. A release store: a thief that reads 0 sees every write to the stack before it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit() => Volatile.Write(ref _busy, 0);

    /// <summary>The owner's entry on a slow path: waits out a thief (who holds the cache for a few dozen instructions).</summary>
    public void Enter()
    {
        SpinWait spin = default;
        while (!TryEnter())
        {
            spin.SpinOnce();
        }
    }

    /// <summary>
    /// A thief's entry: true when the cache is the caller's until <see cref="UnlockAfterSteal"/>; false when it is
    /// empty or another thief holds it. Waits for an owner that is inside a call to leave it.
    /// </summary>
    /// <param name="contended">
    /// Whether it was refused because another thief holds it while it had blocks: they are on their way into that
    /// thief's cache, so a caller about to report exhaustion must look again.
    /// </param>
    public bool TryLockForSteal(out bool contended)
    {
        contended = false;

        // Cheap pre-checks with plain reads: skip empty caches and held locks without a fence.
        if (Volatile.Read(ref Count) == 0)
        {
            return false;
        }

        if (Volatile.Read(ref _stealLock) != 0 || Interlocked.CompareExchange(ref _stealLock, 1, 0) != 0)
        {
            contended = true;
            return false;
        }

        // See the remarks: after this barrier, an owner either shows busy here or will see the lock and back off.
        Interlocked.MemoryBarrierProcessWide();
        SpinWait spin = default;
        while (Volatile.Read(ref _busy) != 0)
        {
            // The owner is inside a section of a few dozen instructions that never waits (or is preempted there):
            // wait for it, yielding. No deadlock: a thief holds no cache of its own while it waits, and an owner
            // waiting for a thief does so with its busy flag clear (Enter).
            spin.SpinOnce();
        }

        // The acquire read of 0 above pairs with the owner's release in Exit: its last Items/Count writes are visible.
        return true;
    }

    /// <summary>Releases a thief's hold. A release store: the owner's next <see cref="TryEnter"/> sees the thief's writes.</summary>
    public void UnlockAfterSteal() => Volatile.Write(ref _stealLock, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Pop() => Items[--Count];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int index) => Items[Count++] = index;

    /// <summary>
    /// Where this type keeps its stack and its handshake's flags, for C code that runs the fast path above on the same
    /// object (<see cref="NativeBlockCache"/>: <c>native/memory_strategy_calls.c</c> does exactly what
    /// <see cref="TryEnter"/>, <see cref="Pop"/>, <see cref="Push"/> and <see cref="Exit"/> do).
    /// </summary>
    public static NativeBlockCache DescribeCache(nuint stride, nuint maxSize, bool strict, byte freeState)
    {
        var layout = (PoolThread)RuntimeHelpers.GetUninitializedObject(typeof(PoolThread));
        return new NativeBlockCache(
            typeof(PoolThread),
            stride,
            maxSize,
            strict,
            freeState,
            // Items is 8 bytes before Count (FieldOffset 0 and 8): a pointer cannot be a type argument.
            NativeBlockCache.OffsetOf(layout, in layout.Count) - 8,
            NativeBlockCache.OffsetOf(layout, in layout.Count),
            NativeBlockCache.OffsetOf(layout, in layout.Capacity),
            NativeBlockCache.OffsetOf(layout, in layout._busy),
            NativeBlockCache.OffsetOf(layout, in layout._stealLock));
    }

    /// <summary>
    /// Frees the stack; called once, by the pool's Dispose or finalizer. A thread that still holds this object then
    /// sees an empty cache and falls to the pool's slow path, which refuses.
    /// </summary>
    public void Release()
    {
        Count = 0;
        NativeMemory.AlignedFree(Items);
        Items = null;
    }
}
