using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// Keeps the strategies created by C callers alive: the generated <c>prefix_create</c> export publishes a strategy
/// and its native handle here, and <c>prefix_destroy</c> takes them out, disposing both. The C caller holds only the
/// <c>MemoryStrategy*</c>; this table is what roots the managed objects behind it.
/// </summary>
/// <remarks>
/// A strategy published here that describes its blocks (<see cref="INativeBlockOwnership"/>) gets its
/// <c>validate_deallocation</c> answered in C; one that also describes its thread caches
/// (<see cref="INativeBlockCache"/>) gets its <c>allocate</c> and <c>deallocate</c> served in C, in a library that links
/// the C calls and registers them (<see cref="UseCachedCalls"/>).
/// </remarks>
public static unsafe class NativeExports
{
    private static readonly ConcurrentDictionary<nint, Published> s_published = new();

    /// <summary>
    /// The C calls registered by <see cref="UseCachedCalls"/> or found linked into this library, or
    /// <see cref="CachedCalls.None"/>; null until the first <see cref="Publish"/> looks. One object, so a reader sees
    /// both addresses or neither.
    /// </summary>
    private static CachedCalls? s_cachedCalls;

    /// <summary>Strategies created through an export and not yet destroyed.</summary>
    public static int Count => s_published.Count;

    /// <summary>
    /// Roots <paramref name="strategy"/> and <paramref name="handle"/> until <see cref="Destroy"/> and returns the
    /// pointer to hand to C. For generated code (hidden from IntelliSense): the generated <c>prefix_create</c> exports
    /// call it.
    /// </summary>
    /// <param name="strategy">The strategy the C caller now owns.</param>
    /// <param name="handle">Its native vtable (<c>strategy.CreateNativeHandle()</c>).</param>
    /// <returns>The C interface's <c>MemoryStrategy*</c>.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static NativeMemoryStrategy* Publish(IMemoryStrategy strategy, NativeStrategyHandle handle)
    {
        System.ArgumentNullException.ThrowIfNull(strategy);
        System.ArgumentNullException.ThrowIfNull(handle);
        NativeMemoryStrategy* pointer = handle.Pointer;
        NativeVtableSlots.Slot* slot = NativeVtableSlots.From(pointer);

        // Only here, not for every handle: a strategy created through an export is disposed by Destroy after its
        // handle, whose release takes the descriptions back first; a handle made in C# may outlive its strategy.
        NativeBlockOwnership blocks = default;
        bool described = strategy is INativeBlockOwnership owner && owner.TryDescribeBlocks(out blocks);
        NativeBlockCache cache = default;
        NativeSizeClasses? classes = null;
        CachedCalls calls = Volatile.Read(ref s_cachedCalls) ?? FindLinkedCalls();
        bool cached = described && calls.Allocate != null
            && strategy is INativeBlockCache caches && caches.TryDescribeBlockCache(out cache);
        bool routed = !cached && calls.RoutedAllocate != null
            && strategy is INativeSizeClasses router && router.TryDescribeSizeClasses(out classes);
        PinnedThreads? threads = cached ? new PinnedThreads(cache.ThreadType, null) : routed ? new PinnedThreads(classes!.ThreadType, classes) : null;

        // In the table before C can see the pointer: the C calls' first call on a thread looks the strategy up here.
        s_published[(nint)pointer] = new Published(strategy, handle, threads);
        try
        {
            if (described)
            {
                NativeVtableSlots.PublishOwnership(slot, blocks);
            }

            if (cached)
            {
                NativeVtableSlots.PublishBlockCache(slot, blocks, cache, calls.Allocate, calls.Deallocate);
            }
            else if (routed)
            {
                threads!.Description = NativeVtableSlots.PublishSizeClasses(slot, classes!, calls.RoutedAllocate, calls.RoutedDeallocate);
            }
        }
        catch
        {
            // A description that contradicts itself (a stride its block mapping does not give): nothing reached C yet.
            s_published.TryRemove((nint)pointer, out _);
            UninterruptibleSpinWait.RaiseAgain(NativeVtableSlots.RetireDescriptions(slot));
            throw;
        }

        return pointer;
    }

    /// <summary>
    /// Registers the C calls that serve <c>allocate</c> and <c>deallocate</c> of a strategy describing its thread
    /// caches (<see cref="INativeBlockCache"/>): <c>native/memory_strategy_calls.c</c>, built into a library of its
    /// own (hidden from IntelliSense: tests do this). A NativeAOT library that links that file and declares
    /// <c>&lt;DirectPInvoke Include="memorystrategy_c" /&gt;</c> needs no call: the first <see cref="Publish"/> finds the
    /// calls itself. Strategies published afterwards use them; null for either stops that.
    /// </summary>
    /// <param name="allocate"><c>memory_strategy_cached_allocate</c>.</param>
    /// <param name="deallocate"><c>memory_strategy_cached_deallocate</c>.</param>
    /// <param name="routedAllocate"><c>memory_strategy_routed_allocate</c>, for a strategy that routes sizes to classes (<see cref="INativeSizeClasses"/>).</param>
    /// <param name="routedDeallocate"><c>memory_strategy_routed_deallocate</c>.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void UseCachedCalls(
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> allocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> deallocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> routedAllocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> routedDeallocate)
    {
        // Release: Publish, on any thread, reads the object with acquire. A strategy published with the C calls keeps
        // them; one published without keeps its thunks.
        bool all = allocate != null && deallocate != null && routedAllocate != null && routedDeallocate != null;
        Volatile.Write(ref s_cachedCalls, all ? new CachedCalls(allocate, deallocate, routedAllocate, routedDeallocate) : CachedCalls.None);
    }

    /// <summary>
    /// The C calls linked into this library, or <see cref="CachedCalls.None"/>: asked once, of the C function
    /// <c>memory_strategy_cached_calls</c> (a direct call in a NativeAOT library that declares it; elsewhere, a library
    /// named <c>memorystrategy_c</c> that is not found).
    /// </summary>
    private static CachedCalls FindLinkedCalls()
    {
        CachedCalls found = CachedCalls.None;
        try
        {
            void* allocate;
            void* deallocate;
            void* routedAllocate;
            void* routedDeallocate;
            memory_strategy_cached_calls(&allocate, &deallocate, &routedAllocate, &routedDeallocate);
            found = new CachedCalls(
                (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*>)allocate,
                (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void>)deallocate,
                (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*>)routedAllocate,
                (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void>)routedDeallocate);
        }
        catch (System.Exception exception) when (exception is System.DllNotFoundException or System.EntryPointNotFoundException)
        {
            // Not linked here (a JIT process, or a library built without the C calls): the thunks serve.
        }

        // A registration that raced this lookup wins.
        return Interlocked.CompareExchange(ref s_cachedCalls, found, null) ?? found;
    }

    [DllImport("memorystrategy_c", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern void memory_strategy_cached_calls(void** allocate, void** deallocate, void** routedAllocate, void** routedDeallocate);

    /// <summary>
    /// The C calls' first call on a thread: the calling thread's <see cref="StrategyThread"/> for the strategy behind
    /// <paramref name="self"/>, pinned until the strategy is destroyed, as the address of its first field; null when
    /// there is none to give (not published here, already destroyed, or of another type than the description's).
    /// Called from C under the thread's reader mark, so the strategy cannot be destroyed meanwhile.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static byte* AttachThreadExport(NativeMemoryStrategy* self)
    {
        try
        {
            return s_published.TryGetValue((nint)self, out Published published) && published.Threads is not null
                ? published.Threads.Pin(published.Strategy.StatusTracker.CurrentThread, published.Threads.ThreadType)
                : null;
        }
        catch (System.Exception)
        {
            // Nothing unwinds into C: the thread's calls go to the thunks, which report what went wrong.
            return null;
        }
    }

    /// <summary>
    /// <see cref="AttachThreadExport"/> for class <paramref name="index"/> of a strategy that routes sizes to classes
    /// (<see cref="INativeSizeClasses"/>): the calling thread's object of that class, pinned; null when there is none.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static byte* AttachClassExport(NativeMemoryStrategy* self, int index)
    {
        try
        {
            if (!s_published.TryGetValue((nint)self, out Published published) || published.Threads?.Classes is not { } classes
                || published.Strategy is not INativeSizeClasses router || (uint)index >= (uint)classes.Classes.Length)
            {
                return null;
            }

            return published.Threads.Pin(router.CurrentClassThread(index), classes.Classes[index].Cache.ThreadType);
        }
        catch (System.Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Disposes the strategy behind <paramref name="pointer"/> and its handle, and stops rooting them; never throws.
    /// For generated code (hidden from IntelliSense): the generated <c>prefix_destroy</c> exports call it.
    /// </summary>
    /// <param name="pointer">A pointer returned by <see cref="Publish"/>.</param>
    /// <returns>
    /// <see langword="false"/> for NULL, a pointer not created by an export, or one already destroyed: those are ignored.
    /// </returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool Destroy(NativeMemoryStrategy* pointer)
    {
        // TryRemove hands the entry to exactly one caller: two racing destroys never dispose twice.
        if (pointer == null || !s_published.TryRemove((nint)pointer, out Published published))
        {
            return false;
        }

        // The vtable first, so a C thread still calling through the pointer is refused rather than reaching a
        // strategy that is being cleaned up; then the strategy itself. A Thread.Interrupt that reached the wait for C
        // readers is raised again only after the strategy's cleanup, which it would otherwise cut short.
        bool interrupted = published.Handle.DisposeKeepingInterrupt();
        published.Threads?.Release();
        try
        {
            published.Strategy.Dispose();
        }
        catch (System.Exception)
        {
            // A [Cleanup] that throws must not unwind into C; the strategy is already Disposed either way.
        }
        finally
        {
            UninterruptibleSpinWait.RaiseAgain(interrupted);
        }

        return true;
    }

    private sealed class CachedCalls(
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> allocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> deallocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> routedAllocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> routedDeallocate)
    {
        /// <summary>No C calls: every vtable keeps its thunks.</summary>
        public static readonly CachedCalls None = new(null, null, null, null);

        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> Allocate { get; } = allocate;

        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> Deallocate { get; } = deallocate;

        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> RoutedAllocate { get; } = routedAllocate;

        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> RoutedDeallocate { get; } = routedDeallocate;
    }

    private readonly record struct Published(IMemoryStrategy Strategy, NativeStrategyHandle Handle, PinnedThreads? Threads);

    /// <summary>
    /// The thread objects of one strategy that C calls use, pinned (C holds their addresses) until the strategy is
    /// destroyed, after its handle's release has waited for every C call in flight; and a routed strategy's classes'
    /// description, freed then too.
    /// </summary>
    private sealed class PinnedThreads(System.Type threadType, NativeSizeClasses? classes)
    {
        private readonly System.Collections.Generic.Dictionary<StrategyThread, PinnedGCHandle<StrategyThread>> _pins =
            new(System.Collections.Generic.ReferenceEqualityComparer.Instance);

        private bool _released;

        /// <summary>The type of the strategy's own thread objects.</summary>
        public System.Type ThreadType => threadType;

        /// <summary>A routed strategy's classes, or null.</summary>
        public NativeSizeClasses? Classes => classes;

        /// <summary>A routed strategy's description (8 KiB of native memory), or null.</summary>
        public byte* Description { get; set; }

        public byte* Pin(StrategyThread thread, System.Type expected)
        {
            // A description's offsets hold for its type alone.
            if (thread.GetType() != expected)
            {
                return null;
            }

            lock (_pins)
            {
                if (_released)
                {
                    return null;
                }

                if (!_pins.TryGetValue(thread, out PinnedGCHandle<StrategyThread> pin))
                {
                    pin = new PinnedGCHandle<StrategyThread>(thread);
                    _pins.Add(thread, pin);
                }

                return (byte*)pin.GetAddressOfObjectData();
            }
        }

        public void Release()
        {
            lock (_pins)
            {
                _released = true;
                foreach (PinnedGCHandle<StrategyThread> pin in _pins.Values)
                {
                    pin.Dispose();
                }

                _pins.Clear();
                if (Description != null)
                {
                    NativeMemory.AlignedFree(Description);
                    Description = null;
                }
            }
        }
    }
}
