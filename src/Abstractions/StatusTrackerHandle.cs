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

    /// <summary>Creates a handle on <paramref name="tracker"/>.</summary>
    /// <param name="tracker">The tracker; not null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tracker"/> is null.</exception>
    public StatusTrackerHandle(StatusTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        Tracker = tracker;
        _status = (int*)tracker.StatusAddress;
    }

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
