using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// One thread's place in one strategy: the statistics that thread records for the strategy's
/// <see cref="StatusTracker"/>, and a slot, <see cref="State"/>, for the strategy's own per-thread state (a cache of
/// free blocks, say). <see cref="StatusTracker.CurrentThread"/> finds it with one thread-local lookup, and the
/// generated wrappers pass it to a core that asks for it (<c>[Allocate] void* M(nuint size, StrategyThread thread)</c>),
/// so one lookup per call serves both the statistics and the core.
/// </summary>
/// <remarks>
/// <para>
/// Only the owning thread writes the counters (plain stores: single writer, no atomic instruction); readers sum all
/// of a tracker's threads with volatile reads. 64-bit aligned stores are never torn on the 64-bit platforms .NET 10
/// supports. The fields a call touches (offsets 40..127: the tracker's key, the in-call mark, the counters) have the
/// fields of the slow paths before them and 64 bytes of padding after, so two threads' objects never share a line of
/// them even when the GC places the objects next to each other.
/// </para>
/// <para>
/// When a thread exits, a thread that starts using the strategy later may take its object over: the counts carry on
/// (they are part of the totals) but <see cref="State"/> is cleared first, so per-thread state never passes from one
/// thread to another through this slot. A strategy whose state must not be lost keeps its own list of it too.
/// </para>
/// <para>
/// A strategy may derive its own type from this one and give its tracker a factory
/// (<see cref="StatusTracker.SetThreadFactory"/>), to keep its per-thread state in fields the hot path reaches in the
/// object it already holds, instead of in <see cref="State"/>. A derived type's fields follow this type's 192 bytes,
/// so the counters' padding is kept; pad the derived fields too if another thread writes near them. A derived object
/// taken over from an exited thread keeps its own fields (only <see cref="State"/> is cleared): the reference pool
/// relies on it, so the blocks an exited thread's cache holds go on serving. A field that must not pass to the new
/// owner (another tracker's <see cref="StrategyThread"/>, an inner strategy's, which its own tracker hands over on its
/// own schedule) is cleared by overriding <see cref="OnTakenOver"/>.
/// </para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
public class StrategyThread
{
    // The fields every call reads or writes (the key the lookup and the nested entry points compare, the in-call
    // mark, then the counters) are contiguous, from offset 40 to 127, so a call touches the fewest lines of the object;
    // the fields read only on slow paths come first. With the key at offset 0, 32 bytes before the mark, the class pools
    // called directly on mixed sizes took 14.2-15.0 ns a pair at 1 outstanding and 15.2-17.2 at 16; with it next to
    // the mark, 13.3-14.0 and 13.0-14.0 (three alternating round-robin runs, 2026-12-07 19:50 UTC); the rows of the
    // whole pools did not move beyond their spread.

    /// <summary>The thread that writes these counters. Replaced (by CAS) only when the owner has exited.</summary>
    [FieldOffset(0)] internal Thread Owner;

    /// <summary>The strategy's own per-thread state; see <see cref="State"/>.</summary>
    [FieldOffset(8)] internal object? ThreadState;

    /// <summary>
    /// The owning thread's table of its <see cref="StrategyThread"/> objects, one per tracker it has used (see
    /// <see cref="StatusTracker.ThreadFrom"/>). Set, and read, only by the owning thread.
    /// </summary>
    [FieldOffset(16)] internal StatusTracker.ThreadTable Table = null!;

    /// <summary>
    /// Identifies the tracker these counters belong to; read on every call to find the thread's cached object. A key
    /// object rather than the tracker itself, so an object cached in a thread-static does not keep the tracker alive.
    /// </summary>
    [FieldOffset(40)] internal StatusTracker.TrackerKey? TrackerKey;

    /// <summary>
    /// How many calls of the strategy this thread is inside (nested calls count each): written by the owning thread
    /// only, read by a disposing thread that waits for it to reach 0. Next to <see cref="TrackerKey"/>, which only this
    /// thread reads on every call, so the stores cost no cross-core transfer.
    /// </summary>
    [FieldOffset(48)] internal int InCall;

    /// <summary>How many validations of the strategy this thread is inside; written and read by the owning thread only.</summary>
    [FieldOffset(52)] internal int ValidationDepth;

    /// <summary>1 while this thread runs the strategy's own <c>[Owns]</c> (see <see cref="TryEnterOwns"/>); the owning thread's only.</summary>
    [FieldOffset(56)] internal int OwnsDepth;

    [FieldOffset(64)] internal long Allocations;
    [FieldOffset(72)] internal long Deallocations;
    [FieldOffset(80)] internal long FailedAllocations;
    [FieldOffset(88)] internal long RefusedAllocations;
    [FieldOffset(96)] internal long RefusedDeallocations;
    [FieldOffset(104)] internal long BytesRequested;

    /// <summary>The highest <c>Allocations - Deallocations</c> seen here: the exact peak while it is the only one.</summary>
    [FieldOffset(112)] internal long LocalPeak;

    /// <summary>
    /// The live count at which this thread next samples the strategy-wide peak when its own high rises: doubled at
    /// each such sample, so a thread filling up samples a logarithmic number of times.
    /// </summary>
    [FieldOffset(120)] internal long NextPeakSample = 1;

    /// <summary>
    /// Ends the object's fields at 192 bytes: the runtime does not extend a class to its <c>StructLayout</c> size, so
    /// without a field here the next object (another thread's, whose first line that thread writes on every call) could
    /// begin right after the counters' line, and a derived type's fields would begin at 128 instead of 192.
    /// </summary>
#pragma warning disable CS0169 // Never read or written: it only takes up the space.
    [FieldOffset(184)] private readonly long _tailPadding;
#pragma warning restore CS0169

    /// <summary>
    /// Marks the calling thread inside a call of the strategy, before it reads the status to admit the call: a
    /// <c>Dispose</c> that runs meanwhile waits until <see cref="ExitCall"/> before it releases the strategy's memory
    /// (see <see cref="StatusTracker.WaitForCallsInFlight()"/>). Generated code calls it; call it only on the thread that
    /// got this object from <see cref="StatusTracker.CurrentThread"/>, and pair every call with <see cref="ExitCall"/>.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterCall() =>
        // A volatile (release) store of this thread's own counter: the JIT keeps it before the volatile status read
        // that follows in the caller. The hardware may still let that read pass the store (store buffer); the
        // disposing thread's process-wide barrier closes that window (StatusTracker.WaitForCallsInFlight).
        Volatile.Write(ref InCall, InCall + 1);

    /// <summary>
    /// Leaves a call entered with <see cref="EnterCall"/>. A release store: every access the call made to the
    /// strategy's memory happens before a disposing thread reads the count that lets it release that memory.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitCall() => Volatile.Write(ref InCall, InCall - 1);

    /// <summary>
    /// How many calls of the strategy the owning thread is inside now (<see cref="EnterCall"/> minus
    /// <see cref="ExitCall"/>): for a strategy whose per-thread state another thread may take over, and which would
    /// rather treat the call's own mark as its "owner inside" flag than store one of its own on every call (the
    /// reference pool's cache: <c>samples/MemoryPool/PoolThread.cs</c>). A volatile (acquire) read: another thread that
    /// reads 0 sees every write the owner made in the calls it has left.
    /// </summary>
    /// <remarks>
    /// On the owning thread, the value it last stored. On another thread, a value the owner stored: entering a call
    /// raises it before the call's first access to the strategy (a release store, in the owner's order), and leaving
    /// the call lowers it after the last one. The owner's store can still wait in its core's store buffer while its
    /// own later loads run, so a reader that needs to see a call the owner has just entered must first run
    /// <see cref="Interlocked.MemoryBarrierProcessWide"/> (as <see cref="StatusTracker.WaitForCallsInFlight()"/> does).
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public int CallDepth
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref InCall);
    }

    /// <summary>
    /// Marks this thread inside the strategy's own ownership test (<c>[Owns]</c>), unless it is inside it already: then
    /// false, and the generated <c>Owns</c> answers false without running the test again. An <c>[Owns]</c> that asks
    /// its own strategy (through <c>StrategyValidator.ValidateDeallocation</c>, the C <c>validate_deallocation</c>, or
    /// <c>Owns</c> itself) would otherwise recurse without end. Pair a true answer with <see cref="ExitOwns"/>. For
    /// generated code; the owning thread's only.
    /// </summary>
    /// <returns>Whether this thread was outside the test (and is now inside it).</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnterOwns()
    {
        if (OwnsDepth != 0)
        {
            return false;
        }

        OwnsDepth = 1;
        return true;
    }

    /// <summary>Leaves the ownership test entered with <see cref="TryEnterOwns"/>. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitOwns() => OwnsDepth = 0;

    internal StrategyThread(StatusTracker.TrackerKey trackerKey, Thread owner)
    {
        TrackerKey = trackerKey;
        Owner = owner;
    }

    /// <summary>
    /// For a type derived by a strategy, created by the factory given to <see cref="StatusTracker.SetThreadFactory"/>;
    /// the tracker binds the object to itself and to the calling thread before any other thread can see it.
    /// </summary>
    protected StrategyThread()
    {
        Owner = null!;
    }

    /// <summary>Binds a factory's new object; it is published afterwards (by the CAS that adds it to the tracker).</summary>
    internal void Bind(StatusTracker.TrackerKey trackerKey, Thread owner)
    {
        TrackerKey = trackerKey;
        Owner = owner;
    }

    /// <summary>
    /// Called when a thread takes this object over from a thread that has exited, on the new owner's thread, before the
    /// object is handed to it (its <see cref="State"/> already cleared, its counts kept). Override it in a type of a
    /// strategy's own (see <see cref="StatusTracker.SetThreadFactory"/>) to clear the fields that belonged to the
    /// exited thread alone, such as another tracker's <see cref="StrategyThread"/> objects. The base does nothing.
    /// </summary>
    /// <remarks>
    /// It runs inside the lookup that found the object, so it should be short and must not use the strategy. If it
    /// throws, the object is given back to the exited thread (another thread may take it over later, and this hook runs
    /// again then) and the exception propagates from the call that needed it.
    /// </remarks>
    protected virtual void OnTakenOver()
    {
    }

    /// <summary>Runs <see cref="OnTakenOver"/> for the tracker (which cannot call a protected member of another type).</summary>
    internal void RunTakenOver() => OnTakenOver();

    /// <summary>
    /// The strategy's own state for this thread, or <see langword="null"/> until the strategy stores some. Read and
    /// write it only on the thread that got this object from <see cref="StatusTracker.CurrentThread"/>; other threads
    /// must not touch it.
    /// </summary>
    /// <remarks>
    /// The thread keeps this object reachable after the strategy is dropped (it stays in the thread's table of
    /// strategies until the slot is reused or the table next grows). State that references the strategy, or anything that references its tracker,
    /// would keep them alive too, metric series included: identify the owner with a key object instead, as the
    /// reference pool's thread cache does.
    /// </remarks>
    public object? State
    {
        get => ThreadState;
        set => ThreadState = value;
    }
}
