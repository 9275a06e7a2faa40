using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// Owns the native <see cref="NativeMemoryStrategy"/> struct (the C <c>MemoryStrategy*</c>) of one strategy,
/// and the <see cref="GCHandle"/> in its <c>strategy_data</c> that keeps the strategy alive while C code uses it.
/// Generated strategies create one with <c>CreateNativeHandle()</c>.
/// </summary>
/// <remarks>
/// <para>Lifetime, in the order a program meets it:</para>
/// <list type="bullet">
/// <item><description>
/// Until <see cref="Dispose"/>: <see cref="Pointer"/> is a working vtable and the strategy cannot be collected.
/// </description></item>
/// <item><description>
/// After <see cref="Dispose"/> (idempotent, thread-safe): calls through <see cref="Pointer"/> are refused, never
/// crash: <c>allocate</c> returns NULL, <c>deallocate</c> does nothing, <c>get_status</c> returns
/// <see cref="StrategyStatus.Disposed"/>, <c>validate</c> returns false, and <c>status_tracker</c> points at a word that
/// reads <see cref="StrategyStatus.Disposed"/>. The strategy itself is not disposed (it is yours), only released.
/// </description></item>
/// <item><description>
/// The struct's memory is freed when this handle object is collected (disposed or not). Keep the handle reachable for as
/// long as native code may call through the pointer: after that the pointer dangles, as after C's <c>free</c>.
/// </description></item>
/// </list>
/// <para>
/// A call already running when <see cref="Dispose"/> runs is safe for the vtable: a thunk that read
/// <c>strategy_data</c> just before it was cleared still finds an allocated GC handle (whose target is then null, so it
/// refuses) or the strategy itself, which stays alive while the thunk uses it. Whether the strategy may be called at all
/// while it is being disposed is the strategy's own contract.
/// </para>
/// </remarks>
public sealed unsafe class NativeStrategyHandle : IDisposable
{
    /// <summary>
    /// The struct and the runtime's words after it, in a slot that thunks and validators recognise before they read
    /// anything else (see <see cref="NativeVtableSlots"/>).
    /// </summary>
    private readonly NativeVtableSlots.Slot* _block;
    private readonly GCHandle _strategy;
    private int _disposed;

    private NativeStrategyHandle(NativeVtableSlots.Slot* block, GCHandle strategy)
    {
        _block = block;
        _strategy = strategy;
    }

    /// <summary>Frees the struct and the GC handle once nothing can reach this object.</summary>
    ~NativeStrategyHandle()
    {
        Release();
        _strategy.Free();
        NativeVtableSlots.Return(_block);
    }

    /// <summary>The C interface's <c>MemoryStrategy*</c>: pass it to C code.</summary>
    public NativeMemoryStrategy* Pointer => &_block->Vtable;

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Native structs not yet freed, process-wide (tests count them to prove nothing leaks): the slots rented, since
    /// every struct lives in one and only <c>Create</c> rents them.
    /// </summary>
    internal static long LiveBlocks => NativeVtableSlots.RentedCount;

    /// <summary>
    /// Builds the native struct for <paramref name="strategy"/> around the given thunks. Generated code calls this with
    /// its <c>[UnmanagedCallersOnly]</c> thunks; a hand-written strategy may too.
    /// </summary>
    /// <param name="strategy">The strategy the thunks call.</param>
    /// <param name="allocate">The <c>allocate</c> thunk.</param>
    /// <param name="deallocate">The <c>deallocate</c> thunk.</param>
    /// <param name="getStatus">The <c>get_status</c> thunk.</param>
    /// <param name="validate">The <c>validate</c> thunk.</param>
    /// <returns>The handle that owns the struct.</returns>
    public static NativeStrategyHandle Create(
        IMemoryStrategy strategy,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> allocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> deallocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> getStatus,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, byte> validate) =>
        Create(strategy, allocate, deallocate, getStatus, validate, NativeStrategyTraits.None);

    /// <summary>
    /// Builds the native struct for <paramref name="strategy"/> around the given thunks, with the facts the C
    /// validators may rely on to answer without calling into .NET. Generated code calls this.
    /// </summary>
    /// <param name="strategy">The strategy the thunks call.</param>
    /// <param name="allocate">The <c>allocate</c> thunk.</param>
    /// <param name="deallocate">The <c>deallocate</c> thunk.</param>
    /// <param name="getStatus">The <c>get_status</c> thunk.</param>
    /// <param name="validate">The <c>validate</c> thunk.</param>
    /// <param name="traits">What holds of <paramref name="strategy"/>; a wrong claim makes the C validators answer wrongly.</param>
    /// <returns>The handle that owns the struct.</returns>
    public static NativeStrategyHandle Create(
        IMemoryStrategy strategy,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> allocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> deallocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> getStatus,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, byte> validate,
        NativeStrategyTraits traits)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (allocate == null || deallocate == null || getStatus == null || validate == null)
        {
            throw new ArgumentException("Every function pointer of the vtable is required.");
        }

        if ((traits & ~(NativeStrategyTraits.StatusOnlyValidation | NativeStrategyTraits.FixedMaxAllocationSize)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(traits), traits, "Unknown traits.");
        }

        // Read before anything is taken: a strategy whose tracker throws leaves nothing behind.
        void* statusWord = (void*)strategy.StatusTracker.StatusAddress;
        GCHandle handle = GCHandle.Alloc(strategy);
        NativeVtableSlots.Slot* block = null;
        try
        {
            // One cache line: C threads that only read the vtable never share a line with anything written often.
            block = NativeVtableSlots.Rent();
            block->Vtable.Allocate = allocate;
            block->Vtable.Deallocate = deallocate;
            block->Vtable.GetStatus = getStatus;
            block->Vtable.Validate = validate;
            block->Vtable.StrategyData = (void*)GCHandle.ToIntPtr(handle);
            block->Vtable.StatusTracker = statusWord;
            block->DisposedStatus = (int)StrategyStatus.Disposed;
            NativeVtableSlots.MarkLive(block, traits);
            NativeVtableSlots.PublishLimit(block, strategy);
            return new NativeStrategyHandle(block, handle);
        }
        catch
        {
            // A page that could not be mapped, a strategy's GetStatus that threw, an out-of-memory: the slot goes back
            // (its key cleared first, so no C caller could use it) and the strategy is no longer kept alive.
            if (block != null)
            {
                NativeVtableSlots.Return(block);
            }

            handle.Free();
            throw;
        }
    }

    /// <summary>
    /// The calls from C refused so far because they reached no strategy: through a struct whose handle was disposed (a
    /// call after the strategy's <c>destroy</c>), or one that is not a live struct of the strategy type whose function
    /// pointers it holds (a struct copied or forged in C). Process-wide: no strategy received them, so no strategy's
    /// statistics count them. Also reported as the <see cref="MemoryStrategyInstruments.RefusedNativeCalls"/>
    /// instrument and as an event of the <see cref="MemoryStrategyDiagnostics.EventSourceName"/> event source.
    /// </summary>
    public static RefusedCallCounts RefusedCalls => new(NativeCallRefusals.Allocations, NativeCallRefusals.Deallocations);

    /// <summary>
    /// A generated <c>allocate</c> thunk's refusal of a call that reached no strategy: counted (see
    /// <see cref="RefusedCalls"/>), and <see langword="null"/> returned to C. Out of line: the thunk's fast path keeps
    /// nothing for it.
    /// </summary>
    /// <param name="self">The <c>self</c> argument C passed.</param>
    /// <returns>Always <see langword="null"/>.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void* RefuseAllocation(NativeMemoryStrategy* self)
    {
        NativeCallRefusals.CountAllocation((nint)self);
        return null;
    }

    /// <summary>A generated <c>deallocate</c> thunk's refusal of a call that reached no strategy: counted; the block is left as it is.</summary>
    /// <param name="self">The <c>self</c> argument C passed.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void RefuseDeallocation(NativeMemoryStrategy* self) => NativeCallRefusals.CountDeallocation((nint)self);

    /// <summary>
    /// The strategy behind <paramref name="self"/>, for a thunk: null when <paramref name="self"/> is not a struct
    /// created by <c>Create</c> (NULL, a struct written in C, garbage: recognised by the tag word of the
    /// runtime's slot page, before anything else is read, see <see cref="NativeVtableSlots"/>), when its handle was
    /// disposed, or when it belongs to a strategy of another type. Never throws.
    /// </summary>
    /// <typeparam name="T">The concrete strategy type the thunk was generated for.</typeparam>
    /// <param name="self">The <c>self</c> argument C passed.</param>
    /// <returns>The strategy, or null.</returns>
    // Inlined into each thunk, where T is the exact type: the cast is then one method-table compare. Not inlined, it
    // was a shared generic method (a generic dictionary and a cast helper call): 13% of a vtable pair from C.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T? GetStrategy<T>(NativeMemoryStrategy* self)
        where T : class
    {
        // One type check (a method-table compare for a sealed T) instead of a blind cast: no interface dispatch.
        return Target(self) as T;
    }

    /// <summary>The object behind a struct of ours, or null (not ours, or released).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static object? Target(NativeMemoryStrategy* self) => NativeVtableSlots.IsLiveSlot(self) ? LiveSlotTarget(self) : null;

    /// <summary>
    /// The strategy behind a struct <see cref="NativeVtableSlots.IsLiveSlot"/> accepted, or null once its handle was
    /// disposed. <c>Create</c> only ever stores an <see cref="IMemoryStrategy"/>, so no cast is needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static IMemoryStrategy? LiveSlotTarget(NativeMemoryStrategy* self)
    {
        // Pairs with the release in Dispose: a thunk sees either the handle or null, never a half-written value.
        nint data = Volatile.Read(ref *(nint*)&self->StrategyData);
        return data == 0 ? null : Unsafe.As<IMemoryStrategy>(GCHandle.FromIntPtr(data).Target);
    }

    /// <summary>
    /// Whether <paramref name="self"/> is a struct created by <c>Create</c> (not yet freed) and, if so, the
    /// strategy behind it: null once its handle was disposed. For a struct written in C, or garbage, returns
    /// <see langword="false"/> having read only the tag word of its page (see <see cref="NativeVtableSlots"/>).
    /// </summary>
    /// <param name="self">Any <c>MemoryStrategy*</c>.</param>
    /// <param name="strategy">The managed strategy, or null.</param>
    /// <returns>Whether the struct belongs to a managed strategy.</returns>
    public static bool TryGetManagedStrategy(NativeMemoryStrategy* self, out IMemoryStrategy? strategy)
    {
        strategy = null;
        if (!NativeVtableSlots.IsLiveSlot(self))
        {
            return false;
        }

        strategy = LiveSlotTarget(self);
        return true;
    }

    /// <summary>
    /// Releases the strategy and makes every later call through <see cref="Pointer"/> a refusal. Idempotent and
    /// thread-safe. The struct's memory stays valid until this object is collected. A <see cref="Thread.Interrupt"/>
    /// that reached the wait for C readers is raised again once the release is complete.
    /// </summary>
    public void Dispose() => UninterruptibleSpinWait.RaiseAgain(Release());

    /// <summary>
    /// <see cref="Dispose"/> for <see cref="NativeExports.Destroy"/>, which disposes the strategy next: a
    /// <see cref="Thread.Interrupt"/> that reached the wait for C readers is returned instead of raised, so that it is
    /// raised only after the strategy's cleanup.
    /// </summary>
    internal bool DisposeKeepingInterrupt() => Release();

    /// <summary>The release, once; whether an interrupt reached the wait for C readers (not raised).</summary>
    private bool Release()
    {
        // Exactly one caller (Dispose or the finalizer) performs the release.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        // A C call reading the strategy's descriptions (validate_deallocation, or allocate and deallocate served in C)
        // is waited for, so the strategy may free the state bytes and caches behind them once this returns
        // (NativeExports.Destroy disposes the strategy next).
        bool interrupted = NativeVtableSlots.RetireDescriptions(_block);

        // Order matters for a call racing this one. First point status_tracker at the block's own Disposed word (the
        // strategy's word goes away with the strategy), then cut strategy_data (release: after it, thunks refuse), and
        // only then let go of the strategy. The GC handle itself is freed by the finalizer, so a thunk that read the old
        // strategy_data still resolves an allocated handle whose target is null.
        Volatile.Write(ref *(nint*)&_block->Vtable.StatusTracker, (nint)(&_block->DisposedStatus));
        Volatile.Write(ref *(nint*)&_block->Vtable.StrategyData, 0);
        GCHandle handle = _strategy;
        handle.Target = null;
        return interrupted;
    }
}
