using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// One thread's <see cref="StrategyThread"/> of each inner strategy (each class pool, then the fallback), kept as an
/// array in the <see cref="StrategyThread.State"/> of that thread's <see cref="StrategyThread"/> of the size-class
/// pool: the one thread-local lookup the outer strategy makes per call finds them, so the inner strategies are called
/// through their nested entry points with no lookup of their own.
/// </summary>
/// <remarks>
/// <para>
/// Only the owning thread reads or writes the array (as every <see cref="StrategyThread.State"/>). It holds the inner
/// threads' objects, which hold their trackers' keys, not the trackers, so it keeps no strategy alive. The array
/// itself is the state (not an object holding it): one load less on every call.
/// </para>
/// <para>
/// It must be the <see cref="StrategyThread.State"/>, not fields of a <see cref="StrategyThread"/> type of the pool's
/// own: when a tracker hands an exited thread's object to a new thread it clears the state, and the inner trackers
/// may hand that exited thread's inner objects (parked blocks included) to whichever thread asks them next. State
/// that survived the hand-over would give a second live thread the same inner object, and two threads one cache of
/// blocks (SizeClassPoolThreadTests checks it).
/// </para>
/// </remarks>
internal static class InnerThreads
{
    /// <summary>The fallback's slot, after the classes'.</summary>
    public const int FallbackSlot = SizeClasses.Count;

    /// <summary>The calling thread's array, created on its first call; <paramref name="outer"/> is the pool's own thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StrategyThread?[] Of(StrategyThread outer) => outer.State as StrategyThread?[] ?? Create(outer);

    /// <summary>The calling thread's <see cref="StrategyThread"/> of <paramref name="inner"/>, which sits in <paramref name="slot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static StrategyThread Get(StrategyThread?[] threads, int slot, IMemoryStrategy inner) =>
        threads[slot] ?? Fill(threads, slot, inner);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StrategyThread?[] Create(StrategyThread outer)
    {
        var threads = new StrategyThread?[FallbackSlot + 1];
        outer.State = threads;
        return threads;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StrategyThread Fill(StrategyThread?[] threads, int slot, IMemoryStrategy inner) =>
        threads[slot] = inner.StatusTracker.CurrentThread;
}
