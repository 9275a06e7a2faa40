using System;
using System.Collections.Generic;
using System.Linq;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The changes a <c>ReaderWriterLockSlim</c> held in a sharing mode does not protect (<see cref="LockMode"/>). A change
/// made holding only read locks runs beside every other reader, the same code on another thread included: it is a
/// race whatever else touches the field. A change made holding an upgradeable read lock keeps other writers out, but
/// not the readers holding that lock's read lock: it races each read of the field made holding only that. Every other
/// change is left to the usual rules, which judge which lock it holds, not in which mode (a read under the read lock
/// and a write under the write lock hold the same lock).
/// </summary>
internal static class ReaderWriterModes
{
    /// <summary>
    /// The lock, held in a mode that lets other threads in, that leaves <paramref name="change"/> unprotected against
    /// the other <paramref name="accesses"/> of its field; null when its locks protect it, or when it holds none.
    /// </summary>
    public static LockId? AdmittingLock(SharedAccess change, IReadOnlyList<SharedAccess> accesses)
    {
        if (change.Locks.IsEmpty)
        {
            return null; // outside any lock: the usual rules' finding
        }

        if (!LockSets.ExcludesWriters(change.Locks))
        {
            return First(change.Locks.Where(l => l.Mode == LockMode.Shared));
        }

        foreach (LockId upgradeable in change.Locks.Where(l => l.Mode == LockMode.Upgradeable).OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            LockId reading = upgradeable.WithMode(LockMode.Shared);
            if (accesses.Any(other => other.Access != change.Access
                && other.Locks.Contains(reading)
                && !LockSets.ExcludeEachOther(change.Locks, other.Locks)))
            {
                return upgradeable;
            }
        }

        return null;
    }

    /// <summary>How a message says where the change is made: "holding only the read lock of '_rw', ...".</summary>
    public static string Describe(LockId admitting) => admitting.Mode == LockMode.Shared
        ? "holding only the read lock of '" + admitting.Name + "', which other readers hold at the same time"
        : "holding the upgradeable read lock of '" + admitting.Name + "', which does not keep out readers holding its read lock";

    private static LockId? First(IEnumerable<LockId> locks) => locks.OrderBy(l => l.Name, StringComparer.Ordinal).FirstOrDefault();
}
