using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// A strategy's status state machine and statistics (the C interface's thread-safe <c>StatusTracker</c>).
/// </summary>
/// <remarks>
/// <para>
/// Every status transition is one compare-and-swap on one 32-bit word; an illegal transition (see
/// <see cref="StatusTransitions.IsLegal"/>) is refused. The word lives in pinned memory at
/// <see cref="StatusAddress"/>, so the native vtable's <c>status_tracker</c> can point at it: its first 32-bit
/// integer is always the current status.
/// </para>
/// <para>
/// The counters are written on every allocation, so each thread keeps its own in a <see cref="StrategyThread"/>
/// (<see cref="CurrentThread"/>), summed when read (see <see cref="StrategyStatistics"/>): recording costs no lock and
/// no shared atomic instruction.
/// </para>
/// </remarks>
public sealed unsafe partial class StatusTracker
{
    /// <summary>
    /// Pinned (pinned object heap) so its address never moves. 16 ints: the status word owns a whole cache line,
    /// so writes to neighbouring objects never invalidate the line every call reads.
    /// </summary>
    private readonly int[] _statusBlock;

    private readonly int* _status;

    /// <summary>Creates a tracker in <see cref="StrategyStatus.Uninitialized"/>.</summary>
    /// <param name="name">The strategy's name, used in statistics and metrics.</param>
    public StatusTracker(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _statusBlock = GC.AllocateArray<int>(16, pinned: true);
        _status = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_statusBlock));
        _threads = [];
        _indexLease = TrackerIndex.Rent(_trackerKey);
        _index = _indexLease.Value;

        // Last, once the tracker is complete: the meter may read it from another thread from now on.
        StrategyRegistry.Register(this);
    }

    /// <summary>The strategy's name, used in statistics and metrics.</summary>
    public string Name { get; }

    /// <summary>The current status (a volatile read: it sees every transition that happened before it).</summary>
    public StrategyStatus Status
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (StrategyStatus)Volatile.Read(ref *_status);
    }

    /// <summary>
    /// The address of the status word: native code reads the current status as the first 32-bit integer there.
    /// Valid for as long as this tracker is reachable.
    /// </summary>
    public nint StatusAddress => (nint)_status;

    /// <summary>Whether the status lets allocations through (<see cref="StrategyStatus.Ready"/> or <see cref="StrategyStatus.Degraded"/>).</summary>
    public bool IsServing
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            StrategyStatus status = Status;
            return status is StrategyStatus.Ready or StrategyStatus.Degraded;
        }
    }

    /// <summary>
    /// Moves from <paramref name="from"/> to <paramref name="to"/> with one compare-and-swap.
    /// </summary>
    /// <param name="from">The status the caller believes is current.</param>
    /// <param name="to">The wanted status.</param>
    /// <returns>
    /// <see langword="true"/> when this call made the transition; <see langword="false"/> when it is illegal or the
    /// status was no longer <paramref name="from"/> (another thread moved it first). Of several threads racing the
    /// same transition, exactly one wins.
    /// </returns>
    public bool TryTransition(StrategyStatus from, StrategyStatus to)
    {
        if (!StatusTransitions.IsLegal(from, to))
        {
            return false;
        }

        // Interlocked.CompareExchange is a full fence: everything this thread wrote before the transition is
        // visible to any thread that reads the new status.
        bool won = Interlocked.CompareExchange(ref *_status, (int)to, (int)from) == (int)from;
        if (won && to >= StrategyStatus.Faulted)
        {
            // Only the winning transition reports, so a fault is traced (and counted in the owner) exactly once.
            OnStoppedServing(from, to);
        }

        return won;
    }

    /// <summary>
    /// A won transition to Faulted or Disposed: traces a fault and counts this strategy in its owner's
    /// <see cref="FailedInnerStrategies"/>. Out of line, so <see cref="TryTransition"/> stays small enough to inline
    /// into the hot paths.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnStoppedServing(StrategyStatus from, StrategyStatus to)
    {
        if (to == StrategyStatus.Faulted)
        {
            MemoryStrategyEventSource.Log.ReportFaulted(Name, from);
        }

        // Volatile: read after the status CAS above (a full fence), the other half of AttachTo's handshake.
        StatusTracker? owner = OwnerOf(Volatile.Read(ref _owner));
        if (owner is not null)
        {
            CountFailureIn(owner);
        }
    }

    /// <summary>
    /// Moves to <paramref name="to"/> from whatever the current status is, when that transition is legal.
    /// Retries if another thread changes the status in between.
    /// </summary>
    /// <param name="to">The wanted status.</param>
    /// <returns><see langword="true"/> when this call made the transition.</returns>
    public bool TryTransitionFromCurrent(StrategyStatus to)
    {
        while (true)
        {
            StrategyStatus current = Status;
            if (!StatusTransitions.IsLegal(current, to))
            {
                return false;
            }

            if (TryTransition(current, to))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Completes the first validation: <see cref="StrategyStatus.Uninitialized"/> moves to
    /// <see cref="StrategyStatus.Ready"/> when <paramref name="invariantsHold"/>, else to <see cref="StrategyStatus.Faulted"/>.
    /// </summary>
    /// <param name="invariantsHold">The result of the strategy's invariant checks.</param>
    /// <returns>Whether the strategy is serving afterwards (whichever thread completed the initialisation).</returns>
    public bool TryInitialize(bool invariantsHold)
    {
        TryTransition(StrategyStatus.Uninitialized, invariantsHold ? StrategyStatus.Ready : StrategyStatus.Faulted);
        return IsServing;
    }

    /// <summary>Moves to <see cref="StrategyStatus.Faulted"/> unless already faulted or disposed.</summary>
    /// <returns><see langword="true"/> when this call made the transition.</returns>
    public bool TryFault() => TryTransitionFromCurrent(StrategyStatus.Faulted);

    /// <summary>Moves to <see cref="StrategyStatus.Disposed"/>.</summary>
    /// <returns><see langword="true"/> for exactly one call: the one that disposed.</returns>
    /// <exception cref="InvalidOperationException">
    /// The strategy is held by an <see cref="Owner"/> that is not disposed yet (see <see cref="AttachTo"/>).
    /// </exception>
    public bool TryDispose()
    {
        ThrowIfHeldByLiveOwner();
        return TryTransitionFromCurrent(StrategyStatus.Disposed);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Status}";
}
