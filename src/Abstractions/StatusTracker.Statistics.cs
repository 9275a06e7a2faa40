using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MemoryStrategy;

public sealed unsafe partial class StatusTracker
{
    /// <summary>
    /// The calling thread's most recently used stripe. One thread-local read finds it; a thread that switches
    /// between strategies falls to <see cref="GetStripeSlow"/> once per switch.
    /// </summary>
    [ThreadStatic]
    private static StrategyThread? t_stripe;

    /// <summary>Every stripe ever created for this tracker. Copy-on-write, replaced by compare-and-swap.</summary>
    private StrategyThread[] _stripes;

    /// <summary>
    /// Marks this tracker's stripes. A stripe holds this key rather than the tracker, so a thread's cached stripe
    /// (<see cref="t_stripe"/>) never keeps a dropped tracker alive: the registry the meter reads must see it go.
    /// </summary>
    private readonly object _stripeKey = new();

    /// <summary>
    /// Each thread sums every stripe once per this many of its allocations, to sample the peak live count (and when its
    /// own live count doubles its last such level, see <see cref="SampleRisingPeak"/>). Summing
    /// reads the other threads' counter lines, and each thread's next write to its own line then misses: two
    /// cross-core transfers per sample. Once every 64 allocations that cost two threads doing allocate/free pairs about
    /// 2.5 ns a pair and stopped them scaling at all; once every 1024 it is lost in the noise.
    /// </summary>
    private const long PeakSampleInterval = 1024;

    /// <summary>The highest live count seen by sampling; see <see cref="StrategyStatistics.PeakLiveAllocations"/>.</summary>
    private long _sampledPeak;

    /// <summary>
    /// The calling thread's <see cref="StrategyThread"/> for this tracker: its statistics and the strategy's
    /// per-thread <see cref="StrategyThread.State"/>. One thread-local lookup; the first call on a thread creates it.
    /// Pass it back to <see cref="RecordAllocation(StrategyThread, nuint)"/> and
    /// <see cref="RecordDeallocation(StrategyThread)"/> on the same thread to record without a second lookup.
    /// </summary>
    public StrategyThread CurrentThread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => GetStripe();
    }

    /// <summary>Counts an allocation the core served, and moves <see cref="StrategyStatus.Degraded"/> back to <see cref="StrategyStatus.Ready"/>.</summary>
    /// <param name="size">The size requested.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordAllocation(nuint size) => RecordAllocation(GetStripe(), size);

    /// <summary>
    /// Counts an allocation the core served in <paramref name="thread"/>, and moves
    /// <see cref="StrategyStatus.Degraded"/> back to <see cref="StrategyStatus.Ready"/>.
    /// </summary>
    /// <param name="thread">
    /// What <see cref="CurrentThread"/> returned on the calling thread. Not checked: this is the hot path of every
    /// generated <c>Allocate</c>, and a check measured about 1.5 ns a pair. Another tracker's object would receive the
    /// counts, and another thread's would break its single-writer rule (counts could be lost); neither touches memory
    /// outside the object.
    /// </param>
    /// <param name="size">The size requested.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordAllocation(StrategyThread thread, nuint size) => RecordAllocation(thread, size, Status);

    /// <summary>
    /// Counts an allocation the core served in <paramref name="thread"/>, for a caller that read the status when it
    /// admitted the request: when that was <see cref="StrategyStatus.Degraded"/>, it moves back to
    /// <see cref="StrategyStatus.Ready"/>. It saves the second status read of
    /// <see cref="RecordAllocation(StrategyThread, nuint)"/>; a failure recorded by another thread after
    /// <paramref name="admittedIn"/> was read is ordered after this allocation, so its Degraded stays.
    /// </summary>
    /// <param name="thread">What <see cref="CurrentThread"/> returned on the calling thread (not checked).</param>
    /// <param name="size">The size requested.</param>
    /// <param name="admittedIn">The status the caller read when it let the request through.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordAllocation(StrategyThread thread, nuint size, StrategyStatus admittedIn)
    {
        long allocations = thread.Allocations + 1;
        thread.Allocations = allocations;
        thread.BytesRequested += (long)size;
        long live = allocations - thread.Deallocations;
        if (live > thread.LocalPeak)
        {
            thread.LocalPeak = live;
            if (live >= thread.NextPeakSample)
            {
                SampleRisingPeak(thread, live);
            }
        }

        if ((allocations & (PeakSampleInterval - 1)) == 0)
        {
            SamplePeak();
        }

        if (admittedIn == StrategyStatus.Degraded)
        {
            LeaveDegraded();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LeaveDegraded() => TryTransition(StrategyStatus.Degraded, StrategyStatus.Ready);

    /// <summary>Counts a valid request the core could not serve, and moves <see cref="StrategyStatus.Ready"/> to <see cref="StrategyStatus.Degraded"/>.</summary>
    public void RecordFailedAllocation()
    {
        GetStripe().FailedAllocations++;
        if (Volatile.Read(ref *_status) == (int)StrategyStatus.Ready)
        {
            TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded);
        }
    }

    /// <summary>Counts a request refused before it reached the core.</summary>
    public void RecordRefusedAllocation() => GetStripe().RefusedAllocations++;

    /// <summary>Counts a valid deallocation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordDeallocation() => RecordDeallocation(GetStripe());

    /// <summary>Counts a valid deallocation in <paramref name="thread"/>.</summary>
    /// <param name="thread">
    /// What <see cref="CurrentThread"/> returned on the calling thread; not checked, as for
    /// <see cref="RecordAllocation(StrategyThread, nuint)"/>.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordDeallocation(StrategyThread thread) => thread.Deallocations++;

    /// <summary>Counts a refused deallocation (null, foreign, interior or already-freed pointer, or after dispose).</summary>
    /// <param name="reason">Why it was refused.</param>
    public void RecordRefusedDeallocation(DeallocationRefusal reason = DeallocationRefusal.NotOwned)
    {
        GetStripe().RefusedDeallocations++;
        MemoryStrategyEventSource.Log.ReportDeallocationRefused(Name, reason);
    }

    /// <summary>
    /// Sums the stripes. Lock-free and safe to call from any thread at any time; see <see cref="StrategyStatistics"/>
    /// for what a snapshot taken during concurrent use guarantees.
    /// </summary>
    /// <returns>The snapshot.</returns>
    public StrategyStatistics GetStatistics()
    {
        StrategyThread[] stripes = Volatile.Read(ref _stripes);
        long allocations = 0, deallocations = 0, failed = 0, refused = 0, refusedDeallocations = 0, bytes = 0;
        foreach (StrategyThread stripe in stripes)
        {
            allocations += Volatile.Read(ref stripe.Allocations);
            deallocations += Volatile.Read(ref stripe.Deallocations);
            failed += Volatile.Read(ref stripe.FailedAllocations);
            refused += Volatile.Read(ref stripe.RefusedAllocations);
            refusedDeallocations += Volatile.Read(ref stripe.RefusedDeallocations);
            bytes += Volatile.Read(ref stripe.BytesRequested);
        }

        long live = allocations - deallocations;
        long peak = RaisePeak(live);
        if (stripes.Length == 1)
        {
            peak = RaisePeak(Volatile.Read(ref stripes[0].LocalPeak));
        }

        return new StrategyStatistics(allocations, deallocations, failed, refused, refusedDeallocations, live, peak, bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private StrategyThread GetStripe()
    {
        StrategyThread? stripe = t_stripe;
        return stripe is not null && ReferenceEquals(stripe.TrackerKey, _stripeKey) ? stripe : GetStripeSlow();
    }

    /// <summary>
    /// Finds or creates the calling thread's stripe. Lock-free: a thread's first write to a tracker never waits for
    /// another thread (one preempted mid-call cannot hold up the others), so every path of the tracker is lock-free.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private StrategyThread GetStripeSlow()
    {
        Thread current = Thread.CurrentThread;
        StrategyThread? stripe;
        while (true)
        {
            // Only this thread ever creates or adopts a stripe for itself, so once it is in the array it stays found.
            StrategyThread[] stripes = Volatile.Read(ref _stripes);
            stripe = FindOwnedStripe(stripes, current) ?? AdoptOrphan(stripes, current);
            if (stripe is not null)
            {
                break;
            }

            if (stripes.Length == 1)
            {
                // The single-stripe exact peak stops being exact once a second thread writes: keep it.
                RaisePeak(Volatile.Read(ref stripes[0].LocalPeak));
            }

            var created = new StrategyThread(_stripeKey, current);
            StrategyThread[] grown = new StrategyThread[stripes.Length + 1];
            Array.Copy(stripes, grown, stripes.Length);
            grown[^1] = created;

            // Publishes the fully built stripe (a full fence; readers load the array with Volatile.Read). Losing the CAS
            // means another thread added its stripe first: retry on its array, where ours was never visible.
            if (Interlocked.CompareExchange(ref _stripes, grown, stripes) == stripes)
            {
                stripe = created;
                break;
            }
        }

        t_stripe = stripe;
        return stripe;
    }

    private static StrategyThread? FindOwnedStripe(StrategyThread[] stripes, Thread thread)
    {
        foreach (StrategyThread stripe in stripes)
        {
            if (ReferenceEquals(Volatile.Read(ref stripe.Owner), thread))
            {
                return stripe;
            }
        }

        return null;
    }

    /// <summary>
    /// Reuses the stripe of a thread that has exited, so thread churn does not grow the stripe array forever.
    /// Its counts stay (they are part of the totals); the new owner simply goes on adding to them.
    /// </summary>
    private static StrategyThread? AdoptOrphan(StrategyThread[] stripes, Thread thread)
    {
        foreach (StrategyThread stripe in stripes)
        {
            Thread owner = Volatile.Read(ref stripe.Owner);
            // A dead thread writes nothing more; its last writes are visible once IsAlive reads false.
            if (!owner.IsAlive && Interlocked.CompareExchange(ref stripe.Owner, thread, owner) == owner)
            {
                // The counts carry over; the exited thread's state does not (it may be the strategy's to reclaim).
                stripe.ThreadState = null;
                return stripe;
            }
        }

        return null;
    }

    /// <summary>
    /// A thread's live count reached twice the level of its last such sample: the moments at which it can raise the
    /// strategy-wide peak the most, caught without waiting for the periodic sample (a thread that fills up to n blocks
    /// samples log2 n times; a thread whose count only moves between the same levels, never again).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SampleRisingPeak(StrategyThread thread, long live)
    {
        thread.NextPeakSample = live * 2;
        SamplePeak();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SamplePeak()
    {
        long live = 0;
        foreach (StrategyThread stripe in Volatile.Read(ref _stripes))
        {
            live += Volatile.Read(ref stripe.Allocations) - Volatile.Read(ref stripe.Deallocations);
        }

        RaisePeak(live);
    }

    private long RaisePeak(long candidate)
    {
        long peak = Volatile.Read(ref _sampledPeak);
        while (candidate > peak)
        {
            long seen = Interlocked.CompareExchange(ref _sampledPeak, candidate, peak);
            if (seen == peak)
            {
                return candidate;
            }

            peak = seen;
        }

        return peak;
    }
}
