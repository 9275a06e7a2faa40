using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// A <see cref="StatusTracker"/> together with the address of its status word, for a strategy to hold inline (the
/// generated code keeps one in a field). Reading <see cref="Status"/> through it is one load from the strategy and
/// one from the word, instead of first loading the tracker object and then the word's address from it. Every
/// status check of the generated fast paths and of the C interface's validators reads it, so the load saved is on every call.
/// </summary>
/// <remarks>
/// <para>
/// For generated code: hidden from IntelliSense, since a strategy gets one from the generator and its users never see it.
/// </para>
/// <para>
/// The handle keeps its tracker reachable, and with it the pinned memory the status word lives in, so the address is
/// valid for as long as the handle is. A <see langword="default"/> handle has no tracker: reading its status throws
/// <see cref="NullReferenceException"/>.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly unsafe struct StatusTrackerHandle
{
    private readonly int* _status;

    /// <summary>The tracker's key and slot (see <see cref="CurrentThread"/>), copied so the lookup reads only the strategy.</summary>
    private readonly StatusTracker.TrackerKey _key;
    private readonly int _slot;

    /// <summary>Creates a handle on <paramref name="tracker"/>.</summary>
    /// <param name="tracker">The tracker; not null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tracker"/> is null.</exception>
    public StatusTrackerHandle(StatusTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        Tracker = tracker;
        _status = (int*)tracker.StatusAddress;
        _key = tracker.Key;
        _slot = tracker.Slot;
    }

    /// <summary>
    /// The calling thread's <see cref="StrategyThread"/>: the same object as <see cref="StatusTracker.CurrentThread"/>,
    /// found with the slot and key this handle holds inline, so the first check loads nothing from the tracker (and
    /// the JIT, which cannot know a tracker field is never null, tests none).
    /// </summary>
    /// <remarks>
    /// Generated code calls <see cref="ThreadIn"/> with <see cref="CallerSlots"/> instead, which reads the thread-local
    /// storage before the handle: this getter's receiver, the handle's address, is computed first.
    /// </remarks>
    public StrategyThread CurrentThread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ThreadIn(CallerSlots, in this);
    }

    /// <summary>
    /// The calling thread's slots, read from its thread-local storage (a call to <c>__tls_get_addr</c> on CoreCLR for
    /// Linux x64): the first argument of <see cref="ThreadIn"/>, so that it is read before anything of the handle.
    /// </summary>
    public static ThreadSlotsView CallerSlots
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(StatusTracker.CurrentSlotsBase, StatusTracker.CurrentSlotsLength);
    }

    /// <summary>
    /// <see cref="CurrentThread"/> with the thread-local read done by the caller, before it computes the handle's
    /// address: what the generated <c>Allocate</c>, <c>Deallocate</c> and <c>Owns</c> call. As a getter, the lookup
    /// computed the address of the strategy's handle field first (its receiver), and the JIT kept that address across
    /// the thread-local read, which is a call on CoreCLR for Linux x64, in a stack slot of the user's loop (a store and
    /// a load on every call); read after it, nothing of the handle lives across the call. Five alternating runs
    /// (2026-12-07, medians of each run): concrete pair 1.16-1.23x -> 1.18-1.22x mimalloc, validated worker
    /// 1.91-1.98x -> 1.89-1.97x, the size-class pool on mixed sizes 0.78-0.89x -> 0.78-0.84x glibc.
    /// </summary>
    /// <param name="slots">What <see cref="CallerSlots"/> returned on the calling thread.</param>
    /// <param name="handle">The strategy's handle.</param>
    /// <returns>The same object <see cref="StatusTracker.CurrentThread"/> returns on this thread.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StrategyThread ThreadIn(ThreadSlotsView slots, in StatusTrackerHandle handle) =>
        StatusTracker.TryFindInSlots(slots.Base, slots.Length, handle._slot, handle._key, out StrategyThread? thread)
            ? thread
            : handle.Tracker.GetCurrentThreadFromTable();

    /// <summary>
    /// Throws unless <paramref name="thread"/> is one of this tracker's objects: what a nested entry point
    /// (<c>AllocateNested</c>, <c>DeallocateNested</c>) checks first, since its caller, not the generated lookup, chose
    /// the object. With it, every <see cref="StrategyThread"/> a strategy's core receives is its own tracker's, of the
    /// type its factory (<see cref="StatusTracker.SetThreadFactory"/>) fixed, so a core may use it as that type without
    /// a check of its own. One load and one compare; which thread the object belongs to stays the caller's promise
    /// (checking it would cost the thread-local lookup the nested entry points exist to avoid).
    /// </summary>
    /// <param name="thread">The object a holder passed; not null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="thread"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="thread"/> belongs to another tracker, or to none.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CheckThread(StrategyThread thread)
    {
        // Reference equality with the key this handle copied at construction: the lookup's own test. A null object
        // has no key and fails it too, and is told apart out of line (one test and branch on the common path).
        if (!ReferenceEquals(thread?.TrackerKey, _key))
        {
            ThrowForeignThread(thread);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowForeignThread(StrategyThread? thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        throw new ArgumentException(
            $"The StrategyThread does not belong to the strategy '{Tracker.Name}': pass what its StatusTracker.CurrentThread returns on the calling thread.",
            nameof(thread));
    }

    /// <summary>
    /// <see cref="StatusTracker.RecordAllocation(StrategyThread, nuint, StrategyStatus)"/>, reaching the tracker only in
    /// its rare cases: the fast path's counts live in <paramref name="thread"/>.
    /// </summary>
    /// <param name="thread">What <see cref="CurrentThread"/> returned on the calling thread (not checked).</param>
    /// <param name="size">The size requested.</param>
    /// <param name="admittedIn">The status the caller read when it let the request through.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordAllocation(StrategyThread thread, nuint size, StrategyStatus admittedIn)
    {
        if (StatusTracker.CountAllocation(thread, size, admittedIn, out long allocations, out long live))
        {
            Tracker.RecordRareAllocation(thread, allocations, live, admittedIn);
        }
    }

    /// <summary>
    /// <see cref="RecordAllocation"/>, then <see cref="StrategyThread.ExitCall"/>, for a guarded fast path that entered
    /// the call: the rare cases go out of line and leave the call there, so the caller keeps neither
    /// <paramref name="thread"/> nor <paramref name="ptr"/> across a call (in a user's loop, each value live across a
    /// call costs a callee-saved register or a stack slot on every call).
    /// </summary>
    /// <param name="thread">What <see cref="CurrentThread"/> returned on the calling thread, inside a call it entered.</param>
    /// <param name="size">The size requested.</param>
    /// <param name="admittedIn">The status the caller read when it let the request through.</param>
    /// <param name="ptr">The block the core returned.</param>
    /// <returns><paramref name="ptr"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* RecordAllocationAndExitCall(StrategyThread thread, nuint size, StrategyStatus admittedIn, void* ptr)
    {
        if (StatusTracker.CountAllocation(thread, size, admittedIn, out long allocations, out long live))
        {
            return Tracker.RecordRareAllocationAndExitCall(thread, allocations, live, admittedIn, ptr);
        }

        thread.ExitCall();
        return ptr;
    }

    /// <summary>
    /// <see cref="StatusTracker.RecordFailedAllocation"/> in <paramref name="thread"/>, then
    /// <see cref="StrategyThread.ExitCall"/>, out of line (see <see cref="RecordAllocationAndExitCall"/>).
    /// </summary>
    /// <param name="thread">What <see cref="CurrentThread"/> returned on the calling thread, inside a call it entered.</param>
    /// <returns>Null, the failed allocation's answer.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* RecordFailedAllocationAndExitCall(StrategyThread thread) => Tracker.RecordFailedAllocationAndExitCall(thread);

    /// <summary><see cref="RecordDeallocation"/>, then <see cref="StrategyThread.ExitCall"/>.</summary>
    /// <param name="thread">What <see cref="CurrentThread"/> returned on the calling thread, inside a call it entered.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordDeallocationAndExitCall(StrategyThread thread)
    {
        RecordDeallocation(thread);
        thread.ExitCall();
    }

    /// <summary>
    /// <see cref="StatusTracker.RecordRefusedDeallocation"/> in <paramref name="thread"/>, then
    /// <see cref="StrategyThread.ExitCall"/>, out of line (see <see cref="RecordAllocationAndExitCall"/>).
    /// </summary>
    /// <param name="thread">What <see cref="CurrentThread"/> returned on the calling thread, inside a call it entered.</param>
    /// <param name="reason">Why the pointer was refused.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordRefusedDeallocationAndExitCall(StrategyThread thread, DeallocationRefusal reason) =>
        Tracker.RecordRefusedDeallocationAndExitCall(thread, reason);

    /// <summary><see cref="StatusTracker.RecordDeallocation(StrategyThread)"/> without touching the tracker.</summary>
    /// <param name="thread">What <see cref="CurrentThread"/> returned on the calling thread (not checked).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordDeallocation(StrategyThread thread) => thread.Deallocations++;

    /// <summary>The tracker (null in a <see langword="default"/> handle).</summary>
    public StatusTracker Tracker { get; }

    /// <summary>The tracker's current status: the same volatile read as <see cref="StatusTracker.Status"/>.</summary>
    public StrategyStatus Status
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        // No null test: a default handle's address is null, and the runtime turns that read into a
        // NullReferenceException, as for any null dereference in managed code.
        get => (StrategyStatus)Volatile.Read(ref *_status);
    }
}

/// <summary>
/// The calling thread's slots as <see cref="StatusTrackerHandle.CallerSlots"/> read them: where they are and how many.
/// Only meaningful on the thread that read them, and only until that thread's next lookup of a strategy it has not used
/// before (which may grow them).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ThreadSlotsView
{
    internal ThreadSlotsView(nint slotsBase, int length)
    {
        Base = slotsBase;
        Length = length;
    }

    /// <summary>The address of the first slot (0 before the thread's first lookup).</summary>
    internal nint Base { get; }

    /// <summary>How many slots (0 before the thread's first lookup).</summary>
    internal int Length { get; }
}
