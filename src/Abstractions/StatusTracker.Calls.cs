using System;
using System.ComponentModel;
using System.Threading;

namespace MemoryStrategy;

// The rules around the user's code that the generated wrappers delegate here: a Dispose never releases memory under a
// call in flight, and a validation never recurses into itself or runs the first check twice.
public sealed unsafe partial class StatusTracker
{
    /// <summary>0 until a thread claims the first validation (by CAS); from then on 1.</summary>
    private int _firstValidationClaimed;

    /// <summary>The claiming thread's waiter (see <see cref="FirstValidationWaiter"/>); written once, with Volatile, after the claim.</summary>
    private FirstValidationWaiter? _firstValidationRunner;

    /// <summary>
    /// Waits until no other thread is inside a call of the strategy (<see cref="StrategyThread.EnterCall"/> ..
    /// <see cref="StrategyThread.ExitCall"/>). Generated <c>Dispose</c> calls it after its <see cref="TryDispose"/>
    /// succeeded and before the strategy's <c>[Cleanup]</c>: calls that began before the status read Disposed complete
    /// first, and every call that begins later reads Disposed and is refused without touching the strategy's memory.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The memory-ordering argument (an asymmetric Dekker handshake). A caller stores its in-call count, then reads
    /// the status; this thread has made the status Disposed with a CAS (a full fence), then runs
    /// <see cref="Interlocked.MemoryBarrierProcessWide"/>, then reads every thread's count. The process-wide barrier
    /// executes a full fence on every processor running a thread of this process. If a caller's store came before that
    /// fence on its processor, the barrier made it visible and the read below sees it (and waits); if it came after,
    /// the caller's status read comes after the CAS was visible everywhere, reads Disposed and refuses. A caller that
    /// reads Ready therefore has its count seen here, and its <see cref="StrategyThread.ExitCall"/> (a release store)
    /// orders every access it made before the read of 0 that lets the cleanup run. A thread whose first call creates
    /// its <see cref="StrategyThread"/> after the list was read below published it with a CAS that comes after ours,
    /// so it reads Disposed.
    /// </para>
    /// <para>
    /// The calling thread's own count is not waited for (a <c>Dispose</c> from inside the strategy's own code would
    /// wait for itself); nor is that of a thread that has exited. A core that throws out of a strategy built with
    /// <c>FaultOnCoreException = false</c> leaves its thread's count raised (there is no handler to lower it): a
    /// later <c>Dispose</c> waits for that thread to exit.
    /// </para>
    /// <para>
    /// An inner strategy (see <see cref="AttachTo"/>) also waits for its disposed owner's calls in flight: the owner
    /// routes requests to it through the nested entry points, which mark no call of this strategy, and the owner is
    /// Disposed, which lets this strategy be disposed, before its own calls in flight have ended.
    /// </para>
    /// <para>
    /// The wait is not abandoned on <see cref="Thread.Interrupt"/> (the strategy is Disposed already, and a
    /// <c>Dispose</c> that left here would never run its cleanup): an interrupt that arrives during it is raised again
    /// on the thread once the wait is over. <see cref="WaitForCallsInFlight(out bool)"/> hands it to the caller instead.
    /// </para>
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void WaitForCallsInFlight()
    {
        WaitForCallsInFlight(out bool interrupted);
        UninterruptibleSpinWait.RaiseAgain(interrupted);
    }

    /// <summary>
    /// <see cref="WaitForCallsInFlight()"/>, with a <see cref="Thread.Interrupt"/> that arrived during the wait handed to
    /// the caller instead of raised again on the thread. Generated <c>Dispose</c> methods call it, and raise the interrupt
    /// once their cleanup has run: raised before, it would throw out of the first wait, sleep or lock inside the cleanup
    /// and cut it short (memory not released).
    /// </summary>
    /// <param name="interrupted">Whether an interrupt reached the thread while it waited; the caller raises it again.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void WaitForCallsInFlight(out bool interrupted)
    {
        // Read first: only a Disposed strategy records that its calls have ended (an owner's drain, for the strategies
        // it holds); every call the waits below see began before that status.
        bool disposed = Status == StrategyStatus.Disposed;
        interrupted = WaitForOwnerCallsInFlight();
        interrupted |= WaitForOwnCallsInFlight();
        if (disposed)
        {
            MarkCallsEnded();
        }
    }

    /// <summary>
    /// The calls of this strategy's own entry points (see <see cref="WaitForCallsInFlight()"/>). Returns whether an
    /// interrupt reached the thread during the wait (kept, not raised).
    /// </summary>
    private bool WaitForOwnCallsInFlight()
    {
        Thread current = Thread.CurrentThread;
        if (!UsedByAnotherThread(current))
        {
            return false;
        }

        Interlocked.MemoryBarrierProcessWide();

        // Not abandoned on Thread.Interrupt: the strategy is Disposed already, and a Dispose that left here would never
        // run its cleanup. The interrupt is handed to the caller, who raises it again.
        using var spin = new UninterruptibleSpinWait();
        foreach (StrategyThread thread in Volatile.Read(ref _threads))
        {
            spin.Reset();

            // Acquire reads: see the remarks. The owner is read volatile too; adoption replaces it only once it exited.
            while (Volatile.Read(ref thread.InCall) != 0)
            {
                Thread owner = Volatile.Read(ref thread.Owner);
                if (ReferenceEquals(owner, current) || !owner.IsAlive)
                {
                    break;
                }

                spin.SpinOnce();
            }
        }

        return spin.TakeInterrupt();
    }

    /// <summary>
    /// Whether a thread other than <paramref name="current"/> has a <see cref="StrategyThread"/> here: if none has, no
    /// call can be in flight and the process-wide barrier is skipped (a strategy created, used and disposed on one
    /// thread pays nothing). Sound without the barrier: our status CAS comes before this read of the array; a thread
    /// missing from it publishes its object with a CAS after the read, and reads the status after that CAS: both
    /// sides are full fences, so it reads Disposed.
    /// </summary>
    private bool UsedByAnotherThread(Thread current)
    {
        foreach (StrategyThread thread in Volatile.Read(ref _threads))
        {
            if (!ReferenceEquals(Volatile.Read(ref thread.Owner), current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs a strategy's invariant check (its <c>[Validate]</c>) by the C interface's rules; generated <c>Validate</c>
    /// methods call it. The first validation moves <see cref="StrategyStatus.Uninitialized"/> to
    /// <see cref="StrategyStatus.Ready"/> or <see cref="StrategyStatus.Faulted"/>, a later one that fails faults the
    /// strategy, and a faulted or disposed strategy is not valid.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><description>
    /// Re-entrant: a validation that starts while this thread is already inside one of this strategy (its check calls
    /// <see cref="StrategyValidator.ValidateStrategy"/>, or an <c>Allocate</c> whose first call validates) does not run
    /// the check again. It returns <see langword="true"/> unless the strategy is faulted or disposed, and changes
    /// nothing: the validation in progress decides. So an <c>Allocate</c> made by the first validation's own check is
    /// refused (the strategy is not serving yet) and counted, and a <c>Deallocate</c> likewise.
    /// </description></item>
    /// <item><description>
    /// The first check runs once: of threads racing the first validation one runs it, the others wait for its outcome,
    /// and all report that one outcome. A check that throws leaves the strategy Faulted, and the exception propagates.
    /// </description></item>
    /// <item><description>
    /// The check runs inside a call (<see cref="StrategyThread.EnterCall"/>): a racing <c>Dispose</c> waits for it before
    /// the cleanup releases memory, and a check that starts after <c>Dispose</c> does not run.
    /// </description></item>
    /// </list>
    /// </remarks>
    /// <typeparam name="TState">What the check needs: the strategy itself.</typeparam>
    /// <param name="state">Passed to <paramref name="check"/>.</param>
    /// <param name="check">The strategy's invariant check.</param>
    /// <returns>Whether the strategy is valid and serving.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool RunValidation<TState>(TState state, Func<TState, bool> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        StrategyThread thread = GetCurrentThread();
        if (thread.ValidationDepth != 0)
        {
            return Status is not (StrategyStatus.Faulted or StrategyStatus.Disposed);
        }

        switch (Status)
        {
            case StrategyStatus.Uninitialized:
                return RunFirstValidation(thread, state, check);
            case StrategyStatus.Ready:
            case StrategyStatus.Degraded:
                if (RunCheck(thread, state, check))
                {
                    return IsServing;
                }

                TryFault();
                return false;
            default:
                return false;
        }
    }

    private bool RunFirstValidation<TState>(StrategyThread thread, TState state, Func<TState, bool> check)
    {
        // The CAS (a full fence) picks the one thread that runs the first check.
        if (Interlocked.CompareExchange(ref _firstValidationClaimed, 1, 0) == 0)
        {
            // Who runs the check, for the waiting threads' cycle test (WaitWouldCloseCycle). Volatile: until they see
            // it they spin and look again.
            Volatile.Write(ref _firstValidationRunner, FirstValidationWaiter.Current);
            bool holds = false;
            try
            {
                holds = RunCheck(thread, state, check);
            }
            finally
            {
                // Also when the check throws: the waiting threads must see an outcome, and a check that throws failed.
                TryTransition(StrategyStatus.Uninitialized, holds ? StrategyStatus.Ready : StrategyStatus.Faulted);

                // Decided: no thread waits for this tracker's runner any more (waiters leave on the status).
                Volatile.Write(ref _firstValidationRunner, null);
            }

            return IsServing;
        }

        // Another thread runs the check; its transition (a CAS) is what the volatile status reads here wait for. While
        // this thread waits it says so (FirstValidationWaiter), so that a cycle of waits between threads is seen.
        FirstValidationWaiter self = FirstValidationWaiter.Current;
        StatusTracker? outer = self.WaitingOn;

        // Interlocked.Exchange, a full fence: of two threads that start waiting on each other's validations, at least
        // one sees the other's WaitingOn when it walks the chain below (and each walks again on every spin).
        Interlocked.Exchange(ref self.WaitingOn, this);
        try
        {
            SpinWait spin = default;
            while (Status == StrategyStatus.Uninitialized)
            {
                if (WaitWouldCloseCycle(self))
                {
                    // This thread runs a first validation that the one it waits for waits for, directly or through
                    // others: waiting would deadlock both. The check asking here gets what a validation nested in a
                    // thread's own check gets: the strategy counts as valid unless it is faulted or disposed, and the
                    // validation in progress decides for good.
                    return Status is not (StrategyStatus.Faulted or StrategyStatus.Disposed);
                }

                spin.SpinOnce();
            }
        }
        finally
        {
            Volatile.Write(ref self.WaitingOn, outer);
        }

        return IsServing;
    }

    /// <summary>
    /// Whether waiting for this tracker's first validation would close a cycle of waits: its check runs on a thread
    /// that waits (directly, or through a chain of other threads' first validations) for a first validation that
    /// <paramref name="waiter"/>'s thread runs. A chain still being set up (a runner not recorded yet) is no cycle yet:
    /// the caller walks again on its next spin.
    /// </summary>
    private bool WaitWouldCloseCycle(FirstValidationWaiter waiter)
    {
        StatusTracker tracker = this;

        // Bounded: a chain longer than this many threads is left to the next spin (it cannot be a cycle through this
        // thread that stays hidden for good, since every thread on it walks too).
        for (int hops = 0; hops < 64; hops++)
        {
            FirstValidationWaiter? runner = Volatile.Read(ref tracker._firstValidationRunner);
            if (runner is null)
            {
                return false;
            }

            if (ReferenceEquals(runner, waiter))
            {
                return true;
            }

            StatusTracker? next = Volatile.Read(ref runner.WaitingOn);
            if (next is null || next.Status != StrategyStatus.Uninitialized)
            {
                return false;
            }

            tracker = next;
        }

        return false;
    }

    /// <summary>
    /// One thread's part in the first validations: which tracker's first validation it waits for, if any. Each tracker
    /// records the one of the thread that runs its first check (<see cref="_firstValidationRunner"/>), so a waiting
    /// thread can follow the chain of waits and see a cycle instead of deadlocking in it (two strategies whose checks
    /// validate each other, first validated on two threads at once).
    /// </summary>
    private sealed class FirstValidationWaiter
    {
        [ThreadStatic]
        private static FirstValidationWaiter? t_current;

        /// <summary>The tracker whose first validation this thread waits for; written by its thread, read by others.</summary>
        public StatusTracker? WaitingOn;

        public static FirstValidationWaiter Current => t_current ??= new FirstValidationWaiter();
    }

    private bool RunCheck<TState>(StrategyThread thread, TState state, Func<TState, bool> check)
    {
        thread.EnterCall();
        try
        {
            // After EnterCall, as every generated entry point: a Dispose that has begun either sees this call or is
            // seen here (WaitForCallsInFlight), and then the check must not touch memory the cleanup releases.
            if (Status == StrategyStatus.Disposed)
            {
                return false;
            }

            thread.ValidationDepth++;
            try
            {
                return check(state);
            }
            finally
            {
                thread.ValidationDepth--;
            }
        }
        finally
        {
            thread.ExitCall();
        }
    }
}
