using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MemoryStrategy;

// The tracker's StrategyThread objects, one per thread that used it: how the calling thread creates its own lock-free,
// or takes over the one of a thread that has exited (the per-thread table that finds it is StatusTracker.ThreadTable.cs).
public sealed unsafe partial class StatusTracker
{
    /// <summary>Every <see cref="StrategyThread"/> ever created for this tracker. Copy-on-write, replaced by compare-and-swap.</summary>
    private StrategyThread[] _threads;

    /// <summary>
    /// Marks this tracker's <see cref="StrategyThread"/> objects. They hold this key rather than the tracker, so a
    /// thread's table (<see cref="t_byTracker"/>) never keeps a dropped tracker alive: the registry the meter reads
    /// must see it go.
    /// </summary>
    private readonly TrackerKey _trackerKey = new();

    /// <summary>What creates this tracker's <see cref="StrategyThread"/> objects; null: plain ones. Set once, by CAS.</summary>
    private Func<StrategyThread>? _threadFactory;

    /// <summary>
    /// The calling thread's <see cref="StrategyThread"/> for this tracker: its statistics and the strategy's
    /// per-thread <see cref="StrategyThread.State"/>. One thread-local lookup; the first call on a thread creates it.
    /// Pass it back to <see cref="RecordAllocation(StrategyThread, nuint)"/> and
    /// <see cref="RecordDeallocation(StrategyThread)"/> on the same thread to record without a second lookup.
    /// </summary>
    public StrategyThread CurrentThread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => GetCurrentThread();
    }

    /// <summary>
    /// Finds or creates the calling thread's <see cref="StrategyThread"/>. Lock-free: a thread's first write to a
    /// tracker never waits for another thread (one preempted mid-call cannot hold up the others), so every path of the
    /// tracker is lock-free.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private StrategyThread GetCurrentThreadSlow()
    {
        Thread current = Thread.CurrentThread;
        StrategyThread? found;
        StrategyThread? created = null;
        while (true)
        {
            // Only this thread ever creates or adopts a StrategyThread for itself, so once it is in the array it stays
            // found.
            StrategyThread[] threads = Volatile.Read(ref _threads);
            found = FindOwned(threads, current) ?? AdoptOrphan(threads, current);
            if (found is not null)
            {
                break;
            }

            if (threads.Length == 1)
            {
                // The single thread's exact peak stops being exact once a second thread writes: keep it.
                RaisePeak(Volatile.Read(ref threads[0].LocalPeak));
            }

            // Created once: a lost CAS below retries with the same object, so a factory that registers what it
            // creates never sees an object that is then dropped.
            created ??= CreateThread(current);
            StrategyThread[] grown = new StrategyThread[threads.Length + 1];
            Array.Copy(threads, grown, threads.Length);
            grown[^1] = created;

            // Publishes the fully built object (a full fence; readers load the array with Volatile.Read). Losing the
            // CAS means another thread added its own first: retry on its array, where ours was never visible.
            if (Interlocked.CompareExchange(ref _threads, grown, threads) == threads)
            {
                found = created;
                break;
            }
        }

        Remember(found);
        return found;
    }

    /// <summary>
    /// Makes every <see cref="StrategyThread"/> of this tracker come from <paramref name="factory"/>: an object of a type
    /// derived from <see cref="StrategyThread"/> that holds the strategy's per-thread state in fields of its own, so
    /// the hot path reaches that state in the object it already holds (no <see cref="StrategyThread.State"/> load, no
    /// cast of an <see cref="object"/>). The reference pool keeps each thread's cache of free blocks this way.
    /// </summary>
    /// <param name="factory">
    /// Called once per thread that uses the tracker (never for a thread that takes over an exited thread's object),
    /// on that thread, outside any lock; it returns a new object made with the protected constructor, never one
    /// returned before. It may throw (an out-of-memory, say): the call that needed the object then throws.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// A factory was set already, or some thread already has its object (set it in the strategy's constructor).
    /// </exception>
    public void SetThreadFactory(Func<StrategyThread> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);

        // A CAS, so of two racing calls one wins and the other throws; creating objects reads the field with a
        // volatile read. The array check is best effort for the documented misuse (a factory set after use): a
        // thread creating its object at this very moment may still make a plain one, which is why the rule is to
        // set the factory before the tracker is used at all.
        if (Volatile.Read(ref _threads).Length != 0
            || Interlocked.CompareExchange(ref _threadFactory, factory, null) is not null)
        {
            throw new InvalidOperationException(
                $"The thread factory of '{Name}' must be set once, before any thread uses the tracker.");
        }
    }

    /// <summary>A plain <see cref="StrategyThread"/>, or the factory's object bound to this tracker and thread.</summary>
    private StrategyThread CreateThread(Thread owner)
    {
        Func<StrategyThread>? factory = Volatile.Read(ref _threadFactory);
        if (factory is null)
        {
            return new StrategyThread(_trackerKey, owner);
        }

        StrategyThread created = factory();
        if (created is null || created.TrackerKey is not null)
        {
            throw new InvalidOperationException(
                $"The thread factory of '{Name}' must return a new object each time, never null or one it returned before.");
        }

        created.Bind(_trackerKey, owner);
        return created;
    }

    private static StrategyThread? FindOwned(StrategyThread[] threads, Thread owner)
    {
        foreach (StrategyThread thread in threads)
        {
            if (ReferenceEquals(Volatile.Read(ref thread.Owner), owner))
            {
                return thread;
            }
        }

        return null;
    }

    /// <summary>
    /// Reuses the <see cref="StrategyThread"/> of a thread that has exited, so thread churn does not grow the array
    /// forever. Its counts stay (they are part of the totals); the new owner simply goes on adding to them.
    /// </summary>
    private static StrategyThread? AdoptOrphan(StrategyThread[] threads, Thread newOwner)
    {
        foreach (StrategyThread thread in threads)
        {
            Thread owner = Volatile.Read(ref thread.Owner);
            // A dead thread writes nothing more; its last writes are visible once IsAlive reads false.
            if (!owner.IsAlive && Interlocked.CompareExchange(ref thread.Owner, newOwner, owner) == owner)
            {
                // The counts carry over; the exited thread's state does not (it may be the strategy's to reclaim), nor
                // an in-call mark a core's exception left behind (FaultOnCoreException = false): the new owner is in no call.
                thread.ThreadState = null;
                Volatile.Write(ref thread.InCall, 0);
                thread.ValidationDepth = 0;
                thread.OwnsDepth = 0;
                try
                {
                    // A type of the strategy's own clears what belonged to the exited thread alone (its hook).
                    thread.RunTakenOver();
                }
                catch
                {
                    // Given back to the exited thread, so the object is never owned by a thread it was not reset for:
                    // a later take-over (by any thread) runs the hook again. Only this thread changed Owner since the
                    // CAS above (owners change only away from an exited thread, and newOwner is alive).
                    Volatile.Write(ref thread.Owner, owner);
                    throw;
                }

                return thread;
            }
        }

        return null;
    }
}
