using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// How the MEM2003 fix takes a <c>[GuardedBy]</c> lock around a statement, carried with the diagnostic: the analysis
/// knows the lock's type, the fix only its name. <c>lock (_rw)</c> would take the monitor of a
/// <c>ReaderWriterLockSlim</c>, which excludes none of its holders (<see cref="SyncObjectMonitor"/>), so each kind of
/// lock gets its own calls, and a lock taken in some other way (a <c>SpinLock</c>'s <c>Enter(ref taken)</c>, a
/// <c>Mutex</c>, a semaphore that admits several threads) gets no value and no fix.
/// </summary>
internal static class GuardAcquisition
{
    /// <summary>The diagnostic property holding one of the values below.</summary>
    public const string Property = "Acquire";

    /// <summary><c>lock (guard) { ... }</c>: an object's monitor, <c>this</c>, or a <c>System.Threading.Lock</c>.</summary>
    public const string Monitor = "lock";

    /// <summary><c>guard.EnterWriteLock(); try { ... } finally { guard.ExitWriteLock(); }</c>.</summary>
    public const string WriteLock = "write";

    /// <summary><c>guard.EnterReadLock(); try { ... } finally { guard.ExitReadLock(); }</c>: the statement only reads guarded state.</summary>
    public const string ReadLock = "read";

    /// <summary><c>guard.Wait(); try { ... } finally { guard.Release(); }</c> (<c>await guard.WaitAsync()</c> in an async function) on a <c>SemaphoreSlim(1, 1)</c>.</summary>
    public const string Semaphore = "wait";

    /// <summary>How to take <paramref name="guard"/> around a statement; <paramref name="writes"/>: whether it changes what the lock guards.</summary>
    public static string? For(LockId guard, bool writes, ConcurrencySymbols symbols)
    {
        if (guard.Member is not { } member)
        {
            return Monitor; // [GuardedBy("this")]
        }

        ITypeSymbol? type = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        if (type is not { IsReferenceType: true })
        {
            return null; // a SpinLock is entered with a flag; `lock` on any other struct boxes it and excludes nothing
        }

        if (symbols.IsReaderWriterLockType(type))
        {
            return writes ? WriteLock : ReadLock;
        }

        if (member is IFieldSymbol semaphore && symbols.IsMutexSemaphoreField(semaphore))
        {
            return Semaphore;
        }

        return symbols.SynchronizationObjectType(type) is null ? Monitor : null;
    }

    /// <summary>
    /// Whether <paramref name="access"/> shares its statement with a change among <paramref name="accesses"/>: the fix
    /// wraps the whole statement, so a read there needs the write lock too (<c>_n = _n + 1</c> reads, then writes).
    /// </summary>
    public static bool SharesStatementWithChange(SharedAccess access, IEnumerable<SharedAccess> accesses)
    {
        Location location = access.Access.ReferenceLocation;
        if (WrappedStatement(location) is not { } statement)
        {
            return false;
        }

        return accesses.Any(other => Changes(other)
            && other.Access.ReferenceLocation.SourceTree == location.SourceTree
            && statement.Span.Contains(other.Access.ReferenceLocation.SourceSpan));
    }

    /// <summary>The statement of a block around <paramref name="location"/>: the one the fix wraps.</summary>
    private static StatementSyntax? WrappedStatement(Location location) =>
        location.SourceTree?.GetRoot().FindNode(location.SourceSpan).AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent is BlockSyntax);

    /// <summary>Whether <paramref name="access"/> changes what it reaches: a store, an update, or a change to a collection.</summary>
    public static bool Changes(SharedAccess access) =>
        access.Kind is AccessKind.Write or AccessKind.ReadModifyWrite || access.Access.MutatesCollection;
}
