using System.Collections.Immutable;
using System.Linq;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Questions about a set of held locks once a <c>ReaderWriterLockSlim</c> can be held in a mode that lets other
/// holders in (<see cref="LockMode"/>). Two holders of one reader-writer lock exclude each other unless both read, or
/// one reads and the other holds the upgradeable read lock; every other lock has one holder at a time. So a read
/// under the read lock is ordered with every write under the write lock (the lock's release and acquire are the
/// barriers, as a monitor's are), while a write under the read lock is ordered with nothing another reader does.
/// </summary>
internal static class LockSets
{
    /// <summary>Whether code holding <paramref name="locks"/> keeps every other writer out: it holds some lock in a mode only one thread holds.</summary>
    public static bool ExcludesWriters(ImmutableHashSet<LockId> locks) => locks.Any(l => l.Mode != LockMode.Shared);

    /// <summary>Whether <paramref name="locks"/> holds <paramref name="lockId"/> in any mode.</summary>
    public static bool Holds(ImmutableHashSet<LockId> locks, LockId lockId) => locks.Any(l => l.Base.Equals(lockId.Base));

    /// <summary>
    /// Whether <paramref name="locks"/> protects an access from the code holding <paramref name="guard"/>'s lock: a read
    /// needs the lock in any mode, a write a mode that keeps other writers out.
    /// </summary>
    public static bool Covers(ImmutableHashSet<LockId> locks, LockId guard, bool isWrite) =>
        locks.Any(l => l.Base.Equals(guard.Base) && !(isWrite && l.Mode == LockMode.Shared));

    /// <summary>Whether code holding <paramref name="a"/> and code holding <paramref name="b"/> cannot run at the same time.</summary>
    public static bool ExcludeEachOther(ImmutableHashSet<LockId> a, ImmutableHashSet<LockId> b) =>
        a.Any(l => b.Any(m => l.Base.Equals(m.Base) && !Compatible(l.Mode, m.Mode)));

    /// <summary>
    /// The locks held on both of two paths into one piece of code: a lock held on both, in the weaker of the modes each
    /// path holds it in (a helper reached under the write lock here and the read lock there runs under the read lock;
    /// an upgradeable holder that also took the write lock holds it as a writer).
    /// </summary>
    public static ImmutableHashSet<LockId> Meet(ImmutableHashSet<LockId> a, ImmutableHashSet<LockId> b)
    {
        if (a.SetEquals(b))
        {
            return a;
        }

        ImmutableHashSet<LockId>.Builder both = ImmutableHashSet.CreateBuilder<LockId>();
        foreach (LockId held in a)
        {
            if (ReferenceEquals(Strongest(a, held), held) && Strongest(b, held) is { } other)
            {
                both.Add(Strength(other.Mode) < Strength(held.Mode) ? other : held);
            }
        }

        return both.ToImmutable();
    }

    /// <summary>The locks of <paramref name="locks"/> as their exclusive forms: which locks, whatever the mode.</summary>
    public static ImmutableHashSet<LockId> Bases(ImmutableHashSet<LockId> locks) => locks.Select(l => l.Base).ToImmutableHashSet();

    private static bool Compatible(LockMode a, LockMode b) =>
        (a == LockMode.Shared && b != LockMode.Exclusive) || (b == LockMode.Shared && a != LockMode.Exclusive);

    /// <summary>The mode <paramref name="locks"/> holds <paramref name="lockId"/>'s lock in that keeps the most out, or null.</summary>
    private static LockId? Strongest(ImmutableHashSet<LockId> locks, LockId lockId)
    {
        LockId? strongest = null;
        foreach (LockId held in locks)
        {
            if (held.Base.Equals(lockId.Base) && (strongest is null || Strength(held.Mode) > Strength(strongest.Mode)))
            {
                strongest = held;
            }
        }

        return strongest;
    }

    // Shared < Upgradeable < Exclusive, in what they keep out.
    private static int Strength(LockMode mode) => mode switch
    {
        LockMode.Shared => 0,
        LockMode.Upgradeable => 1,
        _ => 2,
    };
}
