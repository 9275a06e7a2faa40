using System.Diagnostics;
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
/// Dekker handshake. The owner is <i>inside</i> while it is in a marked call of the pool that is not parked
/// (<see cref="StrategyThread.CallDepth"/> above <see cref="_parkedDepth"/>), or while its busy flag is set
/// (<see cref="_busy"/>, on the slow paths). It reaches the stack only while inside, and only after a read of
/// <see cref="_stealLock"/> that came after the store that made it inside (the call's mark, or the flag) and saw 0. A
/// thief takes <see cref="_stealLock"/> by CAS, runs <see cref="Interlocked.MemoryBarrierProcessWide"/>, then waits
/// until the owner is not inside. The process-wide barrier executes a full fence on every core that runs a thread of
/// the process: if the owner's store came before that fence on its core, the barrier drained it and the thief's later
/// reads see it (and wait); if it came after, the owner's following read of the lock comes after the thief's CAS was
/// globally visible, sees it taken, and the owner backs off. Either way they never both proceed. The thief pays the
/// barrier, being about to report exhaustion otherwise.
/// </para>
/// <para>
/// <b>The call's mark is the owner's flag.</b> Every way into the fast path is inside a call marked on this object:
/// the generated <c>Allocate</c> and <c>Deallocate</c> mark it (<see cref="StrategyThread.EnterCall"/>, a release
/// store, before the status read; <see cref="StrategyThread.ExitCall"/>, a release store, after the core), the nested
/// entry points a holder calls mark it on the object the holder passes, and <see cref="FixedBlockPool"/>'s own
/// <c>Allocate</c> and <c>Free</c> mark it. So the .NET fast path's entry is one read of the lock
/// (<see cref="TryEnter"/>) and its exit nothing: a busy flag of its own, stored around the stack as well, cost the
/// concrete pair about 0.1-0.2x mimalloc (three alternating round-robin runs, 2026-12-07: 1.13-1.27x with the flag's
/// two stores a call, 1.02-1.07x with the call's mark alone). A thief then waits for the owner's whole call rather than its access to the
/// stack: a few dozen more instructions. The C fast path (<c>native/memory_strategy_calls.c</c>) marks no .NET call: it
/// stores the busy flag around its access, as the slow paths do. Raising the call's count from C instead (a load and a
/// store of a line the C path does not otherwise touch, each call's load waiting for the previous call's store) made
/// the C pair 1.4 ns slower (three alternating runs, 8.96-8.97 -> 10.39-10.44 ns).
/// </para>
/// <para>
/// <b>Parked calls.</b> A slow path waits for other threads (a thief's hold, a victim's owner) and steals from their
/// caches, so it first parks (<see cref="Park"/>: <see cref="_parkedDepth"/> = the call depth) and reaches its own
/// stack with the busy flag until it returns (<see cref="EnterParked"/>, <see cref="ExitParked"/>,
/// <see cref="Unpark"/>). A parked owner is not inside, so two threads stealing from each other never wait for each
/// other's calls. Unparking raises nothing a thief must see before it: the owner makes no more access in that call,
/// and a later call's access comes after its own read of the lock. An exception out of a slow path (the pool's
/// wrapper has no handler) leaves the call's mark behind and the depth parked with it, so thieves do not wait for a
/// call that never ends. A thief does not wait long for an owner inside anyway: it spins a little, then reports the
/// cache held and searches again later (<see cref="TryLockForSteal"/>), as for a move in progress.
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
    [BenignRace("Owner and thief exclude each other by the TryEnter (the call's mark) or EnterParked/ExitParked and TryLockForSteal handshake (see the remarks), which the analyzer does not read as a lock; outside it, only the thief's Volatile.Read pre-check reads it, and a stale value only skips or retries a steal.")]
    public int Count;

    /// <summary>The most indices <see cref="Items"/> can hold.</summary>
    [FieldOffset(12)] public readonly int Capacity;

    /// <summary>
    /// 1 while the owner reaches its stack outside a marked call: in the C fast path, and in the slow paths
    /// (<see cref="EnterParked"/>..<see cref="ExitParked"/>); written by the owner only.
    /// </summary>
    [FieldOffset(16)] private int _busy;

    /// <summary>1 while a thief holds the cache; taken by CAS, released by a volatile store, read by the owner.</summary>
    [FieldOffset(20)] private int _stealLock;

    /// <summary>
    /// The call depth at which the owner's calls are parked (<see cref="Park"/>): while
    /// <see cref="StrategyThread.CallDepth"/> is not above it, the owner's marked calls do not count as inside. Written
    /// by the owner only (release), read by thieves.
    /// </summary>
    [FieldOffset(24)] private int _parkedDepth;

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
    /// The owner's entry on a fast path, inside a call marked on this object (see the remarks): true when the cache is
    /// this thread's until the call ends (its <see cref="StrategyThread.ExitCall"/>, a release store after the last
    /// access to the stack, is the exit a waiting thief reads: there is no exit of its own); false (nothing held) while
    /// a thief holds it, in which case the caller takes its slow path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnter()
    {
        Debug.Assert(CallDepth > _parkedDepth, "the pool's fast path ran outside a marked call");

        // The call's mark was stored (a release store) before this volatile read, in the wrapper's EnterCall: the JIT
        // keeps that order, and the thief's process-wide barrier closes the store buffer's window (see the remarks).
        return Volatile.Read(ref _stealLock) == 0;
    }

    /// <summary>The busy flag's entry: a store of 1, then the read of the lock (backing off when it is held).</summary>
    private bool TryEnterFlagged()
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

    /// <summary>
    /// The owner's entry on a slow path, which has parked (<see cref="Park"/>), so it always uses the busy flag: waits
    /// out a thief (who holds the cache for a few dozen instructions). Leave with <see cref="ExitParked"/>.
    /// </summary>
    /// <remarks>
    /// Not abandoned on <see cref="Thread.Interrupt"/>: its callers may hold blocks nobody else can see (a free's block,
    /// marked free; a steal's, taken from a victim), which an exception here would lose. The interrupt is raised again
    /// on the thread once the cache is entered (<see cref="UninterruptibleSpinWait"/>), for its next wait outside the pool.
    /// </remarks>
    public void EnterParked()
    {
        using var spin = new UninterruptibleSpinWait();
        while (!TryEnterFlagged())
        {
            spin.SpinOnce();
        }
    }

    /// <summary>The owner's exit after <see cref="EnterParked"/>: a release store of 0 to the busy flag.</summary>
    public void ExitParked() => Volatile.Write(ref _busy, 0);

    /// <summary>
    /// Parks the owner's calls at their current depth, before a slow path waits for or steals from another thread:
    /// from here a thief need not wait for this call to end, and this thread reaches its stack only through
    /// <see cref="EnterParked"/>. A release store: the call's earlier accesses to the stack are visible to a thief that
    /// reads it.
    /// </summary>
    /// <returns>The depth parked before, for <see cref="Unpark"/>.</returns>
    public int Park()
    {
        int previous = _parkedDepth;
        Volatile.Write(ref _parkedDepth, CallDepth);
        return previous;
    }

    /// <summary>Ends a <see cref="Park"/>, on the slow path's way back (not on an exception: see the remarks).</summary>
    /// <param name="previous">What <see cref="Park"/> returned.</param>
    public void Unpark(int previous) => Volatile.Write(ref _parkedDepth, previous);

    /// <summary>
    /// A thief's entry: true when the cache is the caller's until <see cref="UnlockAfterSteal"/>; false when it is
    /// empty, another thief holds it, or its owner stays inside a call while the thief spins a little
    /// (<see cref="MaxOwnerSpins"/>).
    /// </summary>
    /// <param name="contended">
    /// Whether it was refused while it had blocks, because another thief holds it (they are on their way into that
    /// thief's cache) or its owner was inside a call (they are within reach once it leaves): a caller about to report
    /// exhaustion must look again.
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

        // See the remarks: after this barrier, an owner either shows inside here or will see the lock and back off.
        Interlocked.MemoryBarrierProcessWide();

        // Not abandoned on Thread.Interrupt, which would leave the lock taken and the owner locked out of its cache for
        // good: the interrupt is raised again on this thread once the spin is over.
        using var spin = new UninterruptibleSpinWait();
        for (int wait = 0; IsOwnerInside(); wait++)
        {
            // The owner is inside a call of a few dozen instructions that never waits, or is preempted there. It
            // leaves soon, or meets the lock at its next access and parks (its slow path waits for the lock with
            // its busy flag clear, which is not inside): spin a little, yielding, never sleeping. Then give the
            // cache back and report it held, as a cache another thief holds: the blocks are within reach once the
            // owner leaves, so the caller searches again, with the waits between its searches (and their bound)
            // that a move in progress gets. A thief never waits long holding a lock, and a mark an exception left
            // behind outside the slow paths (the statistics' rare cases under FaultOnCoreException = false) costs
            // an allocation at most the searches' bound, never a hang. No deadlock: a thief holds no cache of its
            // own while it spins, and an owner that waits (for a thief, or as a thief) has parked first.
            if (wait == MaxOwnerSpins)
            {
                UnlockAfterSteal();
                contended = true;
                return false;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        // The acquire reads above pair with the owner's release stores (ExitParked, ExitCall, Park): its last Items/Count
        // writes are visible.
        return true;
    }

    /// <summary>
    /// A thread that starts using the pool after this object's owner exited takes it over, cache included (its blocks
    /// go on serving); a depth the exited thread left parked (an exception out of a slow path) goes, as its call's mark
    /// did (the tracker resets that first), so the new owner's marked calls count as inside again.
    /// </summary>
    protected override void OnTakenOver() => Volatile.Write(ref _parkedDepth, 0);

    /// <summary>
    /// How long a thief spins for an owner inside before it gives the cache back (see <see cref="TryLockForSteal"/>):
    /// spins and yields, never sleeps: microseconds while nothing else wants the CPU (far longer than an owner's call
    /// takes unless the scheduler preempted it there), more when the yields hand the CPU to other threads.
    /// </summary>
    private const int MaxOwnerSpins = 64;

    /// <summary>
    /// Whether the owner is inside (see the remarks): its busy flag is set, or it is in a marked call that is not
    /// parked. Three acquire reads, in any order: each way the owner becomes inside after the thief's barrier is
    /// followed by its read of the lock, which backs it off, so the reads need not be one snapshot.
    /// </summary>
    private bool IsOwnerInside() => Volatile.Read(ref _busy) != 0 || CallDepth > Volatile.Read(ref _parkedDepth);

    /// <summary>Releases a thief's hold. A release store: the owner's next <see cref="TryEnter"/> sees the thief's writes.</summary>
    public void UnlockAfterSteal() => Volatile.Write(ref _stealLock, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Pop() => Items[--Count];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int index) => Items[Count++] = index;

    /// <summary>
    /// Where this type keeps its stack and its handshake's flags, for C code that runs the fast path above on the same
    /// object (<see cref="NativeBlockCache"/>: <c>native/memory_strategy_calls.c</c> does what <see cref="TryEnter"/>,
    /// <see cref="Pop"/> and <see cref="Push"/> do, with the busy flag as its owner flag around them: it marks no
    /// .NET call).
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
