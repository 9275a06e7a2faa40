using System.Collections.Concurrent;
using System.ComponentModel;

namespace MemoryStrategy;

/// <summary>
/// Keeps the strategies created by C callers alive: the generated <c>prefix_create</c> export publishes a strategy
/// and its native handle here, and <c>prefix_destroy</c> takes them out, disposing both. The C caller holds only the
/// <c>MemoryStrategy*</c>; this table is what roots the managed objects behind it.
/// </summary>
public static unsafe class NativeExports
{
    private static readonly ConcurrentDictionary<nint, Published> s_published = new();

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
        s_published[(nint)pointer] = new Published(strategy, handle);

        // Only here, not for every handle: a strategy created through an export is disposed by Destroy after its
        // handle, whose release takes the description back first; a handle made in C# may outlive its strategy.
        if (strategy is INativeBlockOwnership described && described.TryDescribeBlocks(out NativeBlockOwnership blocks))
        {
            NativeVtableSlots.PublishOwnership(NativeVtableSlots.From(pointer), blocks);
        }

        return pointer;
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
        // strategy that is being cleaned up; then the strategy itself.
        published.Handle.Dispose();
        try
        {
            published.Strategy.Dispose();
        }
        catch (System.Exception)
        {
            // A [Cleanup] that throws must not unwind into C; the strategy is already Disposed either way.
        }

        return true;
    }

    private readonly record struct Published(IMemoryStrategy Strategy, NativeStrategyHandle Handle);
}
