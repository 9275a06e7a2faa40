using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// A <see cref="SpinWait"/> for a wait that must not be abandoned half-way: a <see cref="Thread.Interrupt"/> that
/// reaches the waiting thread during one of its yields or sleeps does not end the wait with a
/// <see cref="ThreadInterruptedException"/>; it is kept, and raised again on the thread when the wait is disposed
/// (<see cref="Dispose"/>), so the thread's next blocking call outside the wait throws it, as the interrupt asked.
/// </summary>
/// <remarks>
/// <para>
/// For the waits of a strategy's slow paths and of its <c>Dispose</c>: a thread that holds blocks it took from a shared
/// list, or has begun a disposal, and waits for another thread before it can put them back or finish, would otherwise
/// lose those blocks or leave the strategy disposed without its cleanup when it is interrupted there. The reference
/// pool (<c>samples/MemoryPool</c>) waits this way for a thief to leave its cache, and the generated <c>Dispose</c> for
/// the calls in flight (<see cref="StatusTracker.WaitForCallsInFlight()"/>). A wait that holds nothing may let the
/// interrupt end it (a plain <see cref="SpinWait"/>).
/// </para>
/// <para>
/// Use it in a <c>using</c> declaration, so that the interrupt is raised again whichever way the wait ends:
/// <code>
/// using var spin = new UninterruptibleSpinWait();
/// while (!TryTakeIt())
/// {
///     spin.SpinOnce();
/// }
/// </code>
/// A <see langword="ref struct"/>: a copy would keep the interrupt in one of the two.
/// </para>
/// </remarks>
public ref struct UninterruptibleSpinWait
{
    private SpinWait _spin;
    private bool _interrupted;

    /// <summary>Whether an interrupt arrived during this wait and has not been raised again yet.</summary>
    public readonly bool WasInterrupted => _interrupted;

    /// <summary>
    /// One step of the wait, as <see cref="SpinWait.SpinOnce(int)"/>: spins, then yields, then sleeps a millisecond
    /// from the <paramref name="sleep1Threshold"/>th step on (never, with -1). An interrupt that arrives in it is kept.
    /// </summary>
    /// <param name="sleep1Threshold">The step from which each step may sleep a millisecond; -1 for never.</param>
    public void SpinOnce(int sleep1Threshold = 20)
    {
        try
        {
            _spin.SpinOnce(sleep1Threshold);
        }
        catch (ThreadInterruptedException)
        {
            // Thread.Sleep(0) and Thread.Sleep(1) are interruption points. The step is over either way; the wait goes on.
            _interrupted = true;
        }
    }

    /// <summary>Starts the steps over (the next one spins again, as a new wait's first), keeping an interrupt that arrived.</summary>
    public void Reset() => _spin.Reset();

    /// <summary>
    /// Hands over the interrupt this wait kept, if any, and forgets it, so that <see cref="Dispose"/> does not raise it:
    /// for a caller that raises it itself once something that must not be interrupted is done (the generated
    /// <c>Dispose</c>, after its cleanup).
    /// </summary>
    /// <returns>Whether an interrupt arrived during the wait.</returns>
    internal bool TakeInterrupt()
    {
        bool interrupted = _interrupted;
        _interrupted = false;
        return interrupted;
    }

    /// <summary>
    /// Ends the wait: an interrupt that arrived during it is raised again on the calling thread
    /// (<see cref="Thread.Interrupt"/> on itself), so its next wait, sleep or join throws it.
    /// </summary>
    public void Dispose() => RaiseAgain(TakeInterrupt());

    /// <summary>
    /// Raises on the calling thread an interrupt a wait kept (<see cref="TakeInterrupt"/>), once what must not be
    /// interrupted is done: its next wait, sleep or join throws it. Nothing when <paramref name="interrupted"/> is false.
    /// </summary>
    /// <param name="interrupted">Whether a wait kept an interrupt.</param>
    internal static void RaiseAgain(bool interrupted)
    {
        if (interrupted)
        {
            Thread.CurrentThread.Interrupt();
        }
    }
}
