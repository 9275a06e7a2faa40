using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MemoryStrategy;

// The tracker's statistics: recording on the calling thread's StrategyThread, summing, and the peak.
public sealed unsafe partial class StatusTracker
{
    /// <summary>
    /// Each thread sums every <see cref="StrategyThread"/> once per this many of its allocations, to sample the peak
    /// live count (and when its own live count doubles its last such level, see <see cref="SampleRisingPeak"/>).
    /// Summing reads the other threads' counter lines, and each thread's next write to its own line then misses: two
    /// cross-core transfers per sample. Once every 64 allocations that cost two threads doing allocate/free pairs about
    /// 2.5 ns a pair and stopped them scaling at all; once every 1024 it is lost in the noise.
    /// </summary>
    private const long PeakSampleInterval = 1024;

    /// <summary>The highest live count seen by sampling; see <see cref="StrategyStatistics.PeakLiveAllocations"/>.</summary>
    private long _sampledPeak;

    /// <summary>Counts an allocation the core served, and moves <see cref="StrategyStatus.Degraded"/> back to <see cref="StrategyStatus.Ready"/>.</summary>
    /// <param name="size">The size requested.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordAllocation(nuint size) => RecordAllocation(GetCurrentThread(), size);

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
    /// <paramref name="admittedIn"/> was read is ordered after this allocation, so its Degraded stays. For generated
    /// code (hidden from IntelliSense): the generated fast path reads the status once and passes it here.
    /// </summary>
    /// <param name="thread">What <see cref="CurrentThread"/> returned on the calling thread (not checked).</param>
    /// <param name="size">The size requested.</param>
    /// <param name="admittedIn">The status the caller read when it let the request through.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void RecordAllocation(StrategyThread thread, nuint size, StrategyStatus admittedIn)
    {
        if (CountAllocation(thread, size, admittedIn, out long allocations, out long live))
        {
            RecordRareAllocation(thread, allocations, live, admittedIn);
        }
    }

    /// <summary>
    /// The counting half of <see cref="RecordAllocation(StrategyThread, nuint, StrategyStatus)"/>, static so that a
    /// caller reaches the tracker only in the rare case (see <see cref="StatusTrackerHandle.RecordAllocation"/>).
    /// Returns whether <see cref="RecordRareAllocation"/> must run.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool CountAllocation(StrategyThread thread, nuint size, StrategyStatus admittedIn, out long allocations, out long live)
    {
        allocations = thread.Allocations + 1;
        thread.Allocations = allocations;
        thread.BytesRequested += (long)size;
        live = allocations - thread.Deallocations;

        // The three rare cases lead to one out-of-line call, after which the caller needs nothing of this method's:
        // with a call per case, the JIT kept the values each one needs (the tracker, the count, the status) in stack
        // slots on every allocation, as values live across a call.
        return live > thread.LocalPeak || (allocations & (PeakSampleInterval - 1)) == 0 || admittedIn == StrategyStatus.Degraded;
    }

    /// <summary>
    /// <see cref="RecordAllocation(StrategyThread, nuint, StrategyStatus)"/>'s rare cases: a new high for this thread
    /// (and, at each doubling, a sample of the strategy-wide peak), the periodic peak sample, and leaving
    /// <see cref="StrategyStatus.Degraded"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void RecordRareAllocation(StrategyThread thread, long allocations, long live, StrategyStatus admittedIn)
    {
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

    private void LeaveDegraded() => TryTransition(StrategyStatus.Degraded, StrategyStatus.Ready);

    // The generated fast paths' out-of-line ends (see StatusTrackerHandle.RecordAllocationAndExitCall): each records,
    // then leaves the call the caller entered, so the caller keeps nothing of its own across the call (a value live
    // across a call takes one of the few callee-saved registers, or a stack slot on every call, in the user's loop).

    /// <summary><see cref="RecordRareAllocation"/>, then <see cref="StrategyThread.ExitCall"/>; returns <paramref name="ptr"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void* RecordRareAllocationAndExitCall(StrategyThread thread, long allocations, long live, StrategyStatus admittedIn, void* ptr)
    {
        RecordRareAllocation(thread, allocations, live, admittedIn);
        thread.ExitCall();
        return ptr;
    }

    /// <summary><see cref="RecordFailedAllocation"/> in <paramref name="thread"/>, then <see cref="StrategyThread.ExitCall"/>; returns null.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void* RecordFailedAllocationAndExitCall(StrategyThread thread)
    {
        CountFailedAllocation(thread);
        thread.ExitCall();
        return null;
    }

    /// <summary><see cref="RecordRefusedDeallocation"/> in <paramref name="thread"/>, then <see cref="StrategyThread.ExitCall"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void RecordRefusedDeallocationAndExitCall(StrategyThread thread, DeallocationRefusal reason)
    {
        CountRefusedDeallocation(thread, reason);
        thread.ExitCall();
    }

    /// <summary>Counts a valid request the core could not serve, and moves <see cref="StrategyStatus.Ready"/> to <see cref="StrategyStatus.Degraded"/>.</summary>
    public void RecordFailedAllocation() => CountFailedAllocation(GetCurrentThread());

    private void CountFailedAllocation(StrategyThread thread)
    {
        thread.FailedAllocations++;
        if (Volatile.Read(ref *_status) == (int)StrategyStatus.Ready)
        {
            TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded);
        }
    }

    /// <summary>Counts a request refused before it reached the core.</summary>
    public void RecordRefusedAllocation() => GetCurrentThread().RefusedAllocations++;

    /// <summary>Counts a valid deallocation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordDeallocation() => RecordDeallocation(GetCurrentThread());

    /// <summary>Counts a valid deallocation in <paramref name="thread"/>.</summary>
    /// <param name="thread">
    /// What <see cref="CurrentThread"/> returned on the calling thread; not checked, as for
    /// <see cref="RecordAllocation(StrategyThread, nuint)"/>.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordDeallocation(StrategyThread thread) => thread.Deallocations++;

    /// <summary>Counts a refused deallocation (null, foreign, interior or already-freed pointer, or after dispose).</summary>
    /// <param name="reason">Why it was refused.</param>
    public void RecordRefusedDeallocation(DeallocationRefusal reason = DeallocationRefusal.NotOwned) =>
        CountRefusedDeallocation(GetCurrentThread(), reason);

    private void CountRefusedDeallocation(StrategyThread thread, DeallocationRefusal reason)
    {
        thread.RefusedDeallocations++;
        MemoryStrategyEventSource.Log.ReportDeallocationRefused(Name, reason);
    }

    /// <summary>
    /// Sums the per-thread counters. Lock-free and safe to call from any thread at any time; see <see cref="StrategyStatistics"/>
    /// for what a snapshot taken during concurrent use guarantees.
    /// </summary>
    /// <returns>The snapshot.</returns>
    public StrategyStatistics GetStatistics()
    {
        StrategyThread[] threads = Volatile.Read(ref _threads);
        long allocations = 0, deallocations = 0, failed = 0, refused = 0, refusedDeallocations = 0, bytes = 0;

        // Frees first, in a pass of their own: a free counted here was recorded after its block's allocation, which
        // the allocation pass below then reads too, so a snapshot taken during use does not show more frees than
        // allocations.
        foreach (StrategyThread thread in threads)
        {
            deallocations += Volatile.Read(ref thread.Deallocations);
        }

        foreach (StrategyThread thread in threads)
        {
            allocations += Volatile.Read(ref thread.Allocations);
            failed += Volatile.Read(ref thread.FailedAllocations);
            refused += Volatile.Read(ref thread.RefusedAllocations);
            refusedDeallocations += Volatile.Read(ref thread.RefusedDeallocations);
            bytes += Volatile.Read(ref thread.BytesRequested);
        }

        // Never negative: the strategy's frees are validated (a double free is refused, not counted), and the clamp
        // covers a snapshot whose frees were read on weaker hardware ordering than the pass order assumes.
        long live = Math.Max(0, allocations - deallocations);
        long peak = RaisePeak(live);
        if (threads.Length == 1)
        {
            peak = RaisePeak(Volatile.Read(ref threads[0].LocalPeak));
        }

        return new StrategyStatistics(allocations, deallocations, failed, refused, refusedDeallocations, live, peak, bytes);
    }

    /// <summary>
    /// A thread's live count reached twice the level of its last such sample: the moments at which it can raise the
    /// strategy-wide peak the most, caught without waiting for the periodic sample (a thread that fills up to n blocks
    /// samples log2 n times; a thread whose count only moves between the same levels, never again).
    /// </summary>
    private void SampleRisingPeak(StrategyThread thread, long live)
    {
        thread.NextPeakSample = live * 2;
        SamplePeak();
    }

    private void SamplePeak()
    {
        long live = 0;
        foreach (StrategyThread thread in Volatile.Read(ref _threads))
        {
            live += Volatile.Read(ref thread.Allocations) - Volatile.Read(ref thread.Deallocations);
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
