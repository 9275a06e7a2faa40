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
