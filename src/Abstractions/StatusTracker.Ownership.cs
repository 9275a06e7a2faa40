using System;
using System.Collections.Generic;
using System.Threading;

namespace MemoryStrategy;

// A strategy built from strategies (a size-class pool over reference pools, a fallback behind an arena) records which
// strategy holds each inner one, so the inner one cannot be disposed under its owner and no strategy can end up
// holding itself.
public sealed unsafe partial class StatusTracker
{
    /// <summary>
    /// The tracker of the strategy that holds this one, held weakly; null while none does. Set once, by
    /// <see cref="AttachTo"/>. Weak because the holder strategy keeps its own tracker alive for as long as it can route
    /// a request here: once its tracker is collected the holder is gone (dropped without <c>Dispose</c>), and this
    /// strategy is nobody's any more, so its own <c>Dispose</c> is no longer refused.
    /// </summary>
    private WeakReference<StatusTracker>? _owner;

    /// <summary>
    /// The tracker of the strategy that holds this one (see <see cref="AttachTo"/>), or <see langword="null"/>: none
    /// was attached, or the holder was dropped without being disposed and has been collected since.
    /// </summary>
    public StatusTracker? Owner => OwnerOf(Volatile.Read(ref _owner));

    /// <summary>The tracker a link names while it is alive, else null.</summary>
    private static StatusTracker? OwnerOf(WeakReference<StatusTracker>? link) =>
        link is not null && link.TryGetTarget(out StatusTracker? owner) ? owner : null;

    /// <summary>
    /// How many of the strategies held by this one have stopped serving. Each inner strategy adds itself once, the
    /// first time it is seen Faulted or Disposed with this owner; changed with Interlocked, read with Volatile.
    /// </summary>
    private int _failedInnerStrategies;

    /// <summary>
    /// 1 once this strategy has added itself to its owner's <see cref="_failedInnerStrategies"/>; claimed by CAS, and reset
    /// by <see cref="AttachTo"/> for a new owner (the previous one collected).
    /// </summary>
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
    /// Serializes every <see cref="AttachTo"/> of the process. Attaching is rare (a holder's constructor), and its checks
    /// read the owners of other trackers, which only a holder of this lock writes: two racing attaches could otherwise
    /// each pass the cycle check (A to B and B to A at once) and together close a cycle that nothing could ever dispose.
    /// A monitor, not a <see cref="Lock"/>: the systematic concurrency tests control monitors.
    /// </summary>
    private static readonly object s_attachLock = new();

    /// <summary>
    /// Records that the strategy of <paramref name="owner"/> holds this one as an inner strategy, serving it as
    /// <paramref name="role"/>. From then on this strategy's <c>Dispose</c> is refused with an
    /// <see cref="InvalidOperationException"/> until the owner is disposed (the owner's cleanup disposes it), and its
    /// statistics are tagged in the meter with the owner's name and the role, so each inner strategy stays visible. A
    /// refused attach changes nothing, and attaching again to the same owner with the same role does nothing.
    /// </summary>
    /// <param name="owner">The tracker of the outer strategy.</param>
    /// <param name="role">What this strategy does for the owner: a short label such as <c>"64 B"</c> or <c>"fallback"</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> or <paramref name="role"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">
    /// This strategy is already disposed, or the owner is (its cleanup has run, so nothing would dispose this one).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// This strategy is already held by a strategy, or holding it would make a cycle (the owner is this strategy or
    /// is held, directly or not, by it).
    /// </exception>
    public void AttachTo(StatusTracker owner, string role)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrEmpty(role);
        lock (s_attachLock)
        {
            if (Status == StrategyStatus.Disposed)
            {
                throw new ObjectDisposedException(
                    Name, $"Strategy '{Name}' is disposed: '{owner.Name}' cannot hold it as '{role}'. Attach an inner strategy before anything can dispose it.");
            }

            if (owner.Status == StrategyStatus.Disposed)
            {
                throw new ObjectDisposedException(
                    owner.Name, $"Strategy '{owner.Name}' is disposed: it cannot take '{Name}' as '{role}', since its cleanup, which would dispose '{Name}', has already run.");
            }

            StatusTracker? previous = OwnerOf(_owner);
            if (ReferenceEquals(previous, owner) && Role == role)
            {
                // Attached already, as this: nothing to change (a holder's constructor may attach through two helpers).
                return;
            }

            if (previous is not null)
            {
                throw new InvalidOperationException(
                    $"Strategy '{Name}' is already held by '{previous.Name}' as '{Role}', so '{owner.Name}' cannot also hold it as '{role}': a strategy has one owner, which disposes it.");
            }

            // The chain is kept in a list as it is walked: its links are weak, and the message must name each holder.
            var chain = new List<StatusTracker>();
            for (StatusTracker? holder = owner; holder is not null; holder = OwnerOf(holder._owner))
            {
                chain.Add(holder);
                if (ReferenceEquals(holder, this))
                {
                    throw new InvalidOperationException(
                        $"Strategy '{Name}' cannot be held by '{owner.Name}' as '{role}': {DescribeHolders(chain)}, so they would hold each other and none of them could ever be disposed.");
                }
            }

            Role = role;

            // A new owner has not counted this strategy yet. The count claimed for a previous owner (one dropped and
            // collected, since a live one was refused above) belonged to that owner alone; without this reset a strategy
            // that faulted under it would never count in the new owner, which would go on routing to it. No thread can
            // still count into the dead owner: its link yields no target once it has yielded none here. Volatile.Write,
            // though the Exchange below (a full fence) is what publishes it before the new owner: every thread that
            // counts reads _countedInOwner by CAS after it has read that owner.
            Volatile.Write(ref _countedInOwner, 0);

            // Interlocked.Exchange, a full fence: it publishes Role with the owner (readers load _owner with Volatile),
            // and orders the status read below after this write (the handshake with a transition to Faulted or
            // Disposed: see below).
            Interlocked.Exchange(ref _owner, new WeakReference<StatusTracker>(owner));
        }

        // A transition to Faulted or Disposed that raced this attach: it CASes the status, then reads the owner; this
        // wrote the owner with a full fence, then reads the status. At least one side sees the other's write and
        // counts, and CountFailureIn lets only the first one through.
        if (Status >= StrategyStatus.Faulted)
        {
            CountFailureIn(owner);
        }
    }

    /// <summary>
    /// The owner chain of a refused cycle, for its message: "'B' is 'A' itself" or "'B' is held by 'C' (as 'x'), which
    /// is 'A' itself". <paramref name="chain"/> runs from the would-be owner to this strategy, each the holder of the one
    /// before.
    /// </summary>
    private static string DescribeHolders(List<StatusTracker> chain)
    {
        var text = new System.Text.StringBuilder($"'{chain[0].Name}'");
        for (int i = 1; i < chain.Count; i++)
        {
            text.Append($" is held by '{chain[i].Name}' (as '{chain[i - 1].Role}'), which");
        }

        return text.Append($" is '{chain[^1].Name}' itself").ToString();
    }

    /// <summary>Adds this strategy to <paramref name="owner"/>'s failed inner strategies, once for its whole life.</summary>
    private void CountFailureIn(StatusTracker owner)
    {
        // The CAS picks one of the two sides that may both see the failure (see AttachTo); Faulted and Disposed are
        // never left except Faulted for Disposed, so one count per strategy and owner is the whole story.
        if (Interlocked.CompareExchange(ref _countedInOwner, 1, 0) == 0)
        {
            Interlocked.Increment(ref owner._failedInnerStrategies);
        }
    }

    /// <summary>
    /// 1 once this strategy is Disposed and every call of its entry points that began before has ended (the end of
    /// <see cref="WaitForCallsInFlight()"/>), so the strategies it holds need not wait for them again. Written with
    /// Volatile (release) by the thread that saw each call's end with acquire reads; read with Volatile (acquire): a
    /// reader that sees 1 is ordered after every access those calls made.
    /// </summary>
    private int _callsEnded;

    /// <summary>Records that this Disposed strategy's calls in flight have ended (see <see cref="_callsEnded"/>).</summary>
    private void MarkCallsEnded() => Volatile.Write(ref _callsEnded, 1);

    /// <summary>
    /// Waits for the calls in flight of the owner that holds this strategy, once the owner is Disposed. Its calls reach
    /// this strategy through the nested entry points, which mark no call here, and the owner's <c>Dispose</c> makes it
    /// Disposed (which lets this strategy's <c>Dispose</c> through: <see cref="ThrowIfHeldByLiveOwner"/>) before it
    /// waits for them; without this, a <c>Dispose</c> of this strategy from another thread in that window would run its
    /// cleanup under them. An owner that has finished waiting (the usual case: its cleanup disposes this strategy) costs
    /// one load. The owner's own wait also waits for its owner, so a chain of holders is covered link by link.
    /// </summary>
    private bool WaitForOwnerCallsInFlight()
    {
        StatusTracker? owner = Owner;
        bool interrupted = false;
        if (owner is not null && owner.Status == StrategyStatus.Disposed && Volatile.Read(ref owner._callsEnded) == 0)
        {
            owner.WaitForCallsInFlight(out interrupted);
        }

        return interrupted;
    }

    /// <summary>Throws when this strategy is held by an owner that is not disposed yet.</summary>
    private void ThrowIfHeldByLiveOwner()
    {
        StatusTracker? owner = Owner;
        if (owner is not null && owner.Status != StrategyStatus.Disposed)
        {
            throw new InvalidOperationException(
                $"Strategy '{Name}' ({Role}) is held by '{owner.Name}', which still routes requests to it: dispose '{owner.Name}' instead; its cleanup disposes '{Name}'. (A holder dropped without Dispose lets go of it once the garbage collector has reclaimed the holder.)");
        }
    }
}
