using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// One thread's place in a size-class pool: the pool's <see cref="StrategyThread"/> (made by its tracker's factory,
/// <see cref="StatusTracker.SetThreadFactory"/>) holding that thread's <see cref="StrategyThread"/> of each inner
/// strategy — each class pool, then the default fallback — in fields of its own. The generated wrapper looks this
/// object up once per call and passes it to the core, which finds the inner threads in it with no load of
/// <see cref="StrategyThread.State"/> and no cast of an <see cref="object"/>, and calls the inner strategies through
/// their nested entry points with no lookup of their own.
/// </summary>
/// <remarks>
/// Only the thread that holds this object reads or writes the slots (as every <see cref="StrategyThread"/>'s
/// per-thread state). When the tracker hands the object of an exited thread to a new one, the inner threads go with
/// it: the blocks the exited thread parked in its class caches keep serving, and each inner object is still used by
/// one live thread at a time. The slots hold the inner threads' objects, which hold their trackers' keys, not the
/// trackers, so they keep no strategy alive.
/// </remarks>
internal sealed class InnerThreads : StrategyThread
{
    /// <summary>The fallback's slot, after the classes'.</summary>
    public const int FallbackSlot = SizeClasses.Count;

    private Slots _slots;

    /// <summary>The calling thread's <see cref="StrategyThread"/> of <paramref name="inner"/>, which sits in <paramref name="slot"/> (0..<see cref="FallbackSlot"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public StrategyThread Get(int slot, IMemoryStrategy inner) => _slots[slot] ?? Fill(slot, inner);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private StrategyThread Fill(int slot, IMemoryStrategy inner) => _slots[slot] = inner.StatusTracker.CurrentThread;

    /// <summary>One slot per class, then the fallback's: inline in the object, so a slot is one load from it.</summary>
    [InlineArray(FallbackSlot + 1)]
    private struct Slots
    {
        private StrategyThread? _first;
    }
}
