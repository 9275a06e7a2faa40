using System;
using System.Threading;

namespace MemoryStrategy;

// A strategy built from strategies (a size-class pool over reference pools, a fallback behind an arena) records which
// strategy holds each inner one, so the inner one cannot be disposed under its owner and no strategy can end up
// holding itself.
public sealed unsafe partial class StatusTracker
{
    /// <summary>The tracker of the strategy that holds this one; null while none does. Set once, by <see cref="AttachTo"/>.</summary>
    private StatusTracker? _owner;

    /// <summary>The tracker of the strategy that holds this one (see <see cref="AttachTo"/>), or <see langword="null"/>.</summary>
    public StatusTracker? Owner => Volatile.Read(ref _owner);

    /// <summary>
    /// How many of the strategies held by this one have stopped serving. Each inner strategy adds itself once, the
    /// first time it is seen Faulted or Disposed with this owner; changed with Interlocked, read with Volatile.
    /// </summary>
    private int _failedInnerStrategies;

    /// <summary>1 once this strategy has added itself to its owner's <see cref="_failedInnerStrategies"/>; claimed by CAS.</summary>
    private int _countedInOwner;

    /// <summary>
    /// How many strategies held by this one (see <see cref="AttachTo"/>) are <see cref="StrategyStatus.Faulted"/> or
    /// <see cref="StrategyStatus.Disposed"/>: 0 while every inner strategy can serve. For the <c>[Validate]</c> check of
    /// a strategy built from strategies, which is then one read however many inner strategies it holds, instead of a
    /// read of each one's status.
    /// </summary>
    /// <remarks>
    /// Each inner strategy counts itself when its transition to Faulted or Disposed is made, or when it is attached
    /// already in one of them, so the count is exact once those calls return; a read that races the transition may
    /// still see the old count, as a read of the inner status just before the transition would. An inner strategy
    /// not validated yet (<see cref="StrategyStatus.Uninitialized"/>) is not counted: validate it before routing to
    /// it (its first validation moves it to Ready or counts it here as Faulted).
    /// </remarks>
    public int FailedInnerStrategies => Volatile.Read(ref _failedInnerStrategies);

    /// <summary>
    /// What this strategy does for its <see cref="Owner"/> ("64 B", "fallback"), or <see langword="null"/>: reported as
    /// the <see cref="MemoryStrategyDiagnostics.RoleTagName"/> tag of the meter's measurements.
    /// </summary>
    public string? Role { get; private set; }

    /// <summary>
    /// Records that the strategy of <paramref name="owner"/> holds this one as an inner strategy, serving it as
    /// <paramref name="role"/>. From then on this strategy's <c>Dispose</c> is refused with an
    /// <see cref="InvalidOperationException"/> until the owner is disposed (the owner's cleanup disposes it), and its
    /// statistics are tagged in the meter with the owner's name and the role, so each inner strategy stays visible.
    /// </summary>
    /// <param name="owner">The tracker of the outer strategy.</param>
    /// <param name="role">What this strategy does for the owner: a short label such as <c>"64 B"</c> or <c>"fallback"</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> or <paramref name="role"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">This strategy is already disposed.</exception>
    /// <exception cref="InvalidOperationException">
    /// This strategy is already held by a strategy, or holding it would make a cycle (the owner is this strategy or
    /// is held, directly or not, by it).
    /// </exception>
    public void AttachTo(StatusTracker owner, string role)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrEmpty(role);
        ObjectDisposedException.ThrowIf(Status == StrategyStatus.Disposed, this);
        for (StatusTracker? holder = owner; holder is not null; holder = holder.Owner)
        {
            if (ReferenceEquals(holder, this))
            {
                throw new InvalidOperationException(
                    $"Strategy '{Name}' cannot be held by '{owner.Name}': '{owner.Name}' is '{Name}' itself or one of its inner strategies, so the two would hold each other.");
            }
        }

        Role = role;

        // The CAS (a full fence) publishes Role with the owner, and lets exactly one of two racing owners win.
        StatusTracker? previous = Interlocked.CompareExchange(ref _owner, owner, null);
        if (previous is not null)
        {
            throw new InvalidOperationException(
                $"Strategy '{Name}' is already held by '{previous.Name}'; a strategy can have one owner, which disposes it.");
        }

        // A transition to Faulted or Disposed that raced this attach: it CASes the status, then reads the owner; this
        // CASed the owner, then reads the status. Both CASes are full fences, so at least one side sees the other's
        // write and counts, and CountFailureIn lets only the first one through.
        if (Status >= StrategyStatus.Faulted)
        {
            CountFailureIn(owner);
        }
    }

    /// <summary>Adds this strategy to <paramref name="owner"/>'s failed inner strategies, once for its whole life.</summary>
    private void CountFailureIn(StatusTracker owner)
    {
        // The CAS picks one of the two sides that may both see the failure (see AttachTo); Faulted and Disposed are
        // never left except Faulted for Disposed, so one count per strategy is the whole story.
        if (Interlocked.CompareExchange(ref _countedInOwner, 1, 0) == 0)
        {
            Interlocked.Increment(ref owner._failedInnerStrategies);
        }
    }

    /// <summary>Throws when this strategy is held by an owner that is not disposed yet.</summary>
    private void ThrowIfHeldByLiveOwner()
    {
        StatusTracker? owner = Owner;
        if (owner is not null && owner.Status != StrategyStatus.Disposed)
        {
            throw new InvalidOperationException(
                $"Strategy '{Name}' ({Role}) is held by '{owner.Name}', which still routes requests to it: dispose '{owner.Name}' instead; its cleanup disposes '{Name}'.");
        }
    }
}
