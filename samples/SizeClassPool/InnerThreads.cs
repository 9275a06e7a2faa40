using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// One thread's <see cref="StrategyThread"/> of each inner strategy (each class pool, then the fallback), kept as an
/// array in the size-class pool's own <see cref="StrategyThread"/> of that thread (<see cref="SizeClassPoolThread"/>):
/// the one thread-local lookup the outer strategy makes per call finds them, so the inner strategies are called
/// through their nested entry points with no lookup of their own.
/// </summary>
/// <remarks>
/// Only the owning thread reads or writes the array. It holds the inner threads' objects, which hold their trackers'
/// keys, not the trackers, so it keeps no strategy alive.
/// </remarks>
internal static class InnerThreads
{
    /// <summary>The fallback's slot, after the classes'.</summary>
    public const int FallbackSlot = SizeClasses.Count;

    /// <summary>The calling thread's array; <paramref name="outer"/> is the pool's own thread.</summary>
    /// <exception cref="InvalidCastException"><paramref name="outer"/> is not a thread of a size-class pool's tracker.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StrategyThread?[] Of(StrategyThread outer) =>
        // A cast to a sealed type: one compare of the object's type word, which the factory fixed. The cast could go
        // (every object that reaches the cores is the tracker's own, as the reference pool relies on), but without it
        // the JIT laid out the mixed-size loop through ForCurrentThread() 0.5-2 ns a pair slower (2026-12-06, 22:20 UTC,
        // alternating runs), so it stays. The array exists from the object's construction on, so no call to make it
        // sits in the inlined path (a call there makes the caller's loop keep its values across it).
        ((SizeClassPoolThread)outer).Inner;

    /// <summary>A thread's empty array: a slot per class, then the fallback's.</summary>
    public static StrategyThread?[] Empty() => new StrategyThread?[FallbackSlot + 1];

    /// <summary>The calling thread's <see cref="StrategyThread"/> of <paramref name="inner"/>, which sits in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StrategyThread Get(StrategyThread?[] threads, int slot, IMemoryStrategy inner) =>
        threads[slot] ?? Fill(threads, slot, inner);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StrategyThread Fill(StrategyThread?[] threads, int slot, IMemoryStrategy inner) =>
        threads[slot] = inner.StatusTracker.CurrentThread;
}

/// <summary>
/// The size-class pool's <see cref="StrategyThread"/> (its tracker's factory makes every one of this type): the
/// thread's objects of the inner strategies in a field of its own, one load from the object the lookup found.
/// </summary>
/// <remarks>
/// When the tracker hands an exited thread's object to a new thread, <see cref="OnTakenOver"/> empties the array: the
/// inner trackers hand the exited thread's inner objects (parked blocks included) to whichever thread asks them next,
/// so keeping them here would give a second live thread the same inner object, and two threads one cache of blocks
/// (SizeClassPoolThreadTests checks it). The new owner finds its own through the inner trackers on first use.
/// </remarks>
internal sealed class SizeClassPoolThread : StrategyThread
{
    /// <summary>The inner strategies' objects of the owning thread, by slot, each filled on the thread's first use of it.</summary>
    public StrategyThread?[] Inner = InnerThreads.Empty();

    protected override void OnTakenOver() => Inner = InnerThreads.Empty();
}
