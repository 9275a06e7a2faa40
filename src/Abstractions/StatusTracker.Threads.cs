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

            var created = new StrategyThread(_trackerKey, current);
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
                return thread;
            }
        }

        return null;
    }
}
