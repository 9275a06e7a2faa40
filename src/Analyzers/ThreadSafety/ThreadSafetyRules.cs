using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM2001-MEM2005 and MEM2007 over one strategy: groups the accesses made by concurrent code by field and applies
/// each rule. Every access gets at most one of these diagnostics, the most specific one.
/// </summary>
/// <remarks>
/// A lock is mostly judged by which it is, not how it is held: a read holding a <c>ReaderWriterLockSlim</c>'s read lock
/// holds the lock a write holding its write lock holds. The changes a sharing mode does not protect are found first
/// (<see cref="ReaderWriterModes"/>), and only a mode that keeps other writers out makes a change locked.
/// </remarks>
internal sealed class ThreadSafetyRules
{
    private readonly ConcurrencySymbols _symbols;
    private readonly INamedTypeSymbol _strategy;
    private readonly ConcurrentContexts _contexts;
    private readonly StrategyFacts _facts;
    private readonly ThreadSafetyCompilation _compilation;
    private readonly Action<Diagnostic> _report;
    private readonly HashSet<FieldAccess> _reported = new();

    /// <summary>The MEM2003 property holding the name of the lock the access must hold.</summary>
    public const string LockNameProperty = "LockName";

    // Where a change outside any lock is made, and what to do, for MEM2001, MEM2002 and MEM2004.
    private const string OutsideLockUpdate = "outside a lock: concurrent calls can lose updates";
    private const string OutsideLockWrite = "outside a lock; use a lock, Volatile.Write or Interlocked";
    private const string OutsideLockCollection = "use it under a lock or use a concurrent collection";

    public ThreadSafetyRules(ConcurrencySymbols symbols, INamedTypeSymbol strategy, ConcurrentContexts contexts, StrategyFacts facts, ThreadSafetyCompilation compilation, Action<Diagnostic> report)
    {
        _symbols = symbols;
        _strategy = strategy;
        _contexts = contexts;
        _facts = facts;
        _compilation = compilation;
        _report = report;
    }

    public void Run()
    {
        foreach (IGrouping<ISymbol, SharedAccess> field in CollectSharedAccesses().GroupBy(a => a.Access.Member, SymbolEqualityComparer.Default))
        {
            // Contexts reaching one access by different paths: the shortest path, then the first in ordinal order, is
            // the one a message names, whatever order the analysis ran in (messages must not change between builds).
            List<SharedAccess> accesses = field
                .OrderBy(a => a.Access.Position)
                .ThenBy(a => a.Hops)
                .ThenBy(a => a.Path, StringComparer.Ordinal)
                .ToList();
            CheckReaderWriterModes(field.Key, accesses);
            if (GetGuard(field.Key) is { } guard)
            {
                CheckGuardedBy(field.Key, guard, accesses);
                continue;
            }

            CheckWrites(field.Key, accesses);
            CheckCollection(field.Key, accesses);
            CheckConsistentLocking(field.Key, accesses);
        }
    }

    private IEnumerable<SharedAccess> CollectSharedAccesses()
    {
        foreach (CallContext context in _contexts.All)
        {
            if (!context.Concurrent)
            {
                continue;
            }

            CodeNode node = context.Node;
            ImmutableHashSet<LockId> inherited = _contexts.LocksOf(context);
            string? path = null;
            int hops = 0;
            foreach (FieldAccess access in node.Accesses)
            {
                if (access.Receiver.IsSharedIn(context) && !FieldPolicy.IsExempt(access, _symbols, _facts))
                {
                    ImmutableHashSet<LockId> locks = access.LocalLocks.Union(inherited);
                    path ??= _contexts.DescribePath(context, _strategy, out hops);
                    bool everyPathLocked = !locks.IsEmpty || _contexts.EveryPathLocked(context);
                    bool instanceLocksOnly = !locks.IsEmpty
                        && access.Receiver.IsGlobalIn(context)
                        && !_contexts.EveryPathGloballyLocked(context)
                        && !access.LocalLocks.Any(l => l.Holder.IsGlobalIn(context));
                    yield return new SharedAccess(access, context, locks, EffectiveKind(access, node, locks), path, hops, everyPathLocked, instanceLocksOnly);
                }
            }
        }
    }

    private static AccessKind EffectiveKind(FieldAccess access, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        // A read lock keeps no other writer out: the two halves are as far apart as outside any lock.
        if (access.Kind != AccessKind.VolatileWrite || LockSets.ExcludesWriters(locks))
        {
            return access.Kind;
        }

        foreach (FieldAccess earlier in node.Accesses)
        {
            if (earlier.Kind == AccessKind.VolatileRead
                && earlier.Position < access.Position
                && SymbolEqualityComparer.Default.Equals(earlier.Member, access.Member))
            {
                return AccessKind.ReadModifyWrite;
            }
        }

        return access.Kind;
    }

    /// <summary>
    /// MEM2001, MEM2002, MEM2004: changes made holding a reader-writer lock in a mode that lets another thread in
    /// beside them (only its read lock; its upgradeable read lock, while readers hold the read lock), whose message
    /// says so rather than "outside a lock". Run first, for guarded fields too, so no later rule claims them.
    /// </summary>
    private void CheckReaderWriterModes(ISymbol member, List<SharedAccess> accesses)
    {
        bool isVolatile = member is IFieldSymbol { IsVolatile: true };
        INamedTypeSymbol? collection = member is IFieldSymbol or IParameterSymbol or ILocalSymbol ? _symbols.GetUnsafeCollection(FieldAccess.TypeOf(member)!) : null;
        foreach (SharedAccess access in accesses)
        {
            bool plainStore = access.Kind == AccessKind.Write && !(isVolatile && !access.Access.ThroughElement); // a volatile store is a release store
            bool changes = plainStore || access.Kind == AccessKind.ReadModifyWrite || (access.Access.MutatesCollection && collection is not null);
            if (!changes || ReaderWriterModes.AdmittingLock(access, accesses) is not { } admitting)
            {
                continue;
            }

            string where = ReaderWriterModes.Describe(admitting);
            if (access.Kind == AccessKind.ReadModifyWrite)
            {
                Report(access, DiagnosticDescriptors.NonAtomicReadModifyWrite, access.Access.Location, member.Name, where + ": concurrent calls can lose updates; take its write lock");
            }
            else if (access.Kind == AccessKind.Write)
            {
                Report(access, DiagnosticDescriptors.UnsynchronizedWrite, access.Access.Location, member.Name, where + "; take its write lock");
            }
            else
            {
                Report(access, DiagnosticDescriptors.UnsynchronizedCollection, access.Access.ReferenceLocation, member.Name, CollectionName(collection!), "it is changed here " + where + ": change it under its write lock");
            }
        }
    }

    /// <summary>MEM2003: every access to a <c>[GuardedBy]</c> member must hold the named lock (a write, in a mode that keeps other writers out).</summary>
    private void CheckGuardedBy(ISymbol member, LockId guard, List<SharedAccess> accesses)
    {
        foreach (SharedAccess access in accesses)
        {
            bool changes = GuardAcquisition.Changes(access);
            if (!LockSets.Covers(access.Locks, guard, changes))
            {
                string verb = access.Kind == AccessKind.Read || access.Kind == AccessKind.VolatileRead ? "Reading" : "Writing";
                if (_reported.Add(access.Access))
                {
                    // The lock's name and how to take it travel with the diagnostic, so the fix can write the right
                    // calls around the statement (lock (name) { ... } is only right for a monitor).
                    bool writes = changes || GuardAcquisition.SharesStatementWithChange(access, accesses);
                    ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty.Add(LockNameProperty, guard.Name);
                    if (GuardAcquisition.For(guard, writes, _symbols) is { } acquire)
                    {
                        properties = properties.Add(GuardAcquisition.Property, acquire);
                    }

                    Emit(access, Diagnostic.Create(
                        DiagnosticDescriptors.GuardedByViolation,
                        access.Access.ReferenceLocation,
                        properties,
                        verb,
                        member.Name,
                        guard.Name,
                        access.Path));
                }
            }
        }
    }

    /// <summary>MEM2001, MEM2002, MEM2007: unsynchronised updates, and plain stores mixed with Interlocked.</summary>
    private void CheckWrites(ISymbol member, List<SharedAccess> accesses)
    {
        bool isVolatile = member is IFieldSymbol { IsVolatile: true };
        List<SharedAccess> atomicUpdates = accesses.Where(a => a.Kind == AccessKind.AtomicUpdate).ToList();
        foreach (SharedAccess access in accesses)
        {
            // An atomic update made holding a lock this store also holds cannot run during it: no race between them.
            bool updatedAtomically = atomicUpdates.Any(a => !LockSets.ExcludeEachOther(a.Locks, access.Locks));
            if (access.Kind == AccessKind.ReadModifyWrite)
            {
                if (updatedAtomically)
                {
                    Report(access, DiagnosticDescriptors.MixedAtomicAndPlainWrite, access.Access.Location, member.Name);
                }
                else if (!TryReportLockScope(member, access))
                {
                    if (!access.IsLocked)
                    {
                        Report(access, DiagnosticDescriptors.NonAtomicReadModifyWrite, access.Access.Location, member.Name, OutsideLockUpdate);
                    }
                }
            }
            else if (access.Kind == AccessKind.Write)
            {
                // A store to a volatile field is a release store, as Volatile.Write is; an element of its array is not.
                bool releaseStore = isVolatile && !access.Access.ThroughElement;
                if (updatedAtomically && !releaseStore)
                {
                    Report(access, DiagnosticDescriptors.MixedAtomicAndPlainWrite, access.Access.Location, member.Name);
                }
                else if (!releaseStore && !TryReportLockScope(member, access) && !access.IsLocked)
                {
                    Report(access, DiagnosticDescriptors.UnsynchronizedWrite, access.Access.Location, member.Name, OutsideLockWrite);
                }
            }
        }
    }

    /// <summary>MEM2004: a List/Dictionary/... that concurrent code changes, used outside a lock.</summary>
    private void CheckCollection(ISymbol member, List<SharedAccess> accesses)
    {
        // A field, or a primary constructor's parameter or a handed-off lambda's variable captured as one.
        if (member is not (IFieldSymbol or IParameterSymbol or ILocalSymbol) || _symbols.GetUnsafeCollection(FieldAccess.TypeOf(member)!) is not { } collection)
        {
            return;
        }

        // A hand-over changes it too: the thread that took the old collection drains it while a reader may still hold it.
        if (!accesses.Any(a => a.Access.MutatesCollection || a.Kind == AccessKind.Write || a.Access.HandsOver))
        {
            return; // filled before the strategy was shared and only read since: safe.
        }

        string collectionName = CollectionName(collection);
        foreach (SharedAccess access in accesses)
        {
            if (access.Kind == AccessKind.Read && (access.Access.MutatesCollection || !access.IsLocked) && TryReportLockScope(member, access))
            {
                continue;
            }

            if (!access.IsLocked && access.Kind == AccessKind.Read)
            {
                Report(access, DiagnosticDescriptors.UnsynchronizedCollection, access.Access.ReferenceLocation, member.Name, collectionName, OutsideLockCollection);
            }
        }
    }

    /// <summary>
    /// A change made holding locks that do not exclude the other changes: a different lock on each path to it
    /// (MEM2005), or, for state every instance shares (a static, or an object reached from one), only locks of one
    /// instance (MEM2009). Returns whether it reported.
    /// </summary>
    private bool TryReportLockScope(ISymbol member, SharedAccess access)
    {
        if (!access.IsLocked && access.EveryPathLocked && _contexts.TryDescribeSplit(access.Context, out string here, out string elsewhere))
        {
            Report(access, DiagnosticDescriptors.InconsistentLocking, access.Access.Location, member.Name, "under '" + here + "'", elsewhere);
            return true;
        }

        if (access.InstanceLocksOnly && (access.Kind is AccessKind.Write or AccessKind.ReadModifyWrite || access.Access.MutatesCollection))
        {
            Report(access, DiagnosticDescriptors.InstanceLockOnSharedState, access.Access.Location, member.Name, ConcurrentContexts.FirstName(access.Locks)!);
            return true;
        }

        return false;
    }

    /// <summary>
    /// MEM2005: a field written by concurrent code, accessed under its usual lock in some places and under another
    /// lock, or none, in others. Atomic accesses and reads of volatile fields state their own synchronisation and are
    /// left out, but for an exchange that hands the old object to its caller (<see cref="FieldAccess.HandsOver"/>): the
    /// other users of the field must hold its lock, or one may still be using the object the caller now drains. The
    /// unlocked first check of lock-based double-checked initialisation of a reference is left out too.
    /// </summary>
    private void CheckConsistentLocking(ISymbol member, List<SharedAccess> accesses)
    {
        if (!accesses.Any(a => a.Access.IsWrite))
        {
            return; // never changes once shared: any lock or none is fine.
        }

        bool isVolatile = member is IFieldSymbol { IsVolatile: true };
        List<SharedAccess> considered = accesses
            .Where(a => a.Kind is AccessKind.Read or AccessKind.Write or AccessKind.ReadModifyWrite || a.Access.HandsOver)
            .Where(a => !(isVolatile && a.Kind == AccessKind.Read && !a.Access.ThroughElement))
            .ToList();
        if (MostUsedLock(considered) is not { } usual)
        {
            return;
        }

        foreach (SharedAccess access in considered)
        {
            if (LockSets.Holds(access.Locks, usual) || IsDoubleCheckedRead(member, access, usual, accesses))
            {
                continue;
            }

            // Lock sets are hashed by symbol, in no fixed order: name order keeps the message the same in every build.
            string how = access.IsLocked ? "under '" + ConcurrentContexts.FirstName(access.Locks) + "'"
                : access.EveryPathLocked && _contexts.TryDescribeSplit(access.Context, out string here, out _) ? "under '" + here + "'"
                : "without a lock";
            Report(access, DiagnosticDescriptors.InconsistentLocking, access.Access.Location, member.Name, how, usual.Name);
        }
    }

    /// <summary>The lock most accesses hold, in whatever mode (a reader-writer lock counts once, as its write lock).</summary>
    private static LockId? MostUsedLock(List<SharedAccess> accesses)
    {
        var counts = new Dictionary<LockId, int>();
        LockId? best = null;
        foreach (SharedAccess access in accesses)
        {
            foreach (LockId held in LockSets.Bases(access.Locks).OrderBy(l => l.Name, StringComparer.Ordinal))
            {
                counts.TryGetValue(held, out int count);
                counts[held] = ++count;
                if (best is null || count > counts[best])
                {
                    best = held;
                }
            }
        }

        return best;
    }

    /// <summary>
    /// <c>if (_x is null) { lock (_gate) { if (_x is null) _x = new X(); } }</c>: the unlocked read of a reference is
    /// safe under the .NET memory model (reference stores are atomic and publish a fully constructed object), as
    /// long as the same method also reads the field under the lock: the check that decides whether to write.
    /// </summary>
    private static bool IsDoubleCheckedRead(ISymbol member, SharedAccess access, LockId usual, List<SharedAccess> accesses)
    {
        if (access.IsLocked || access.Kind != AccessKind.Read || member is not IFieldSymbol { Type.IsReferenceType: true })
        {
            return false;
        }

        return accesses.Any(other =>
            other.Node == access.Node
            && other.Kind is AccessKind.Read or AccessKind.ReadModifyWrite
            && LockSets.Holds(other.Locks, usual));
    }

    /// <summary><c>List&lt;&gt;</c>, <c>Dictionary&lt;,&gt;</c>: the collection's name in a message.</summary>
    private static string CollectionName(INamedTypeSymbol collection) =>
        collection.Name + (collection.Arity > 0 ? "<" + new string(',', collection.Arity - 1) + ">" : string.Empty);

    private LockId? GetGuard(ISymbol member)
    {
        if (KnownSymbols.FindAttribute(member, _symbols.Known.GuardedBy) is not { } guard
            || guard.ConstructorArguments.Length != 1
            || guard.ConstructorArguments[0].Value is not string name)
        {
            return null;
        }

        if (name == "this")
        {
            return LockId.ThisOf(member.ContainingType);
        }

        ISymbol? lockMember = member.ContainingType.GetMembers(name).FirstOrDefault(m => m is IFieldSymbol or IPropertySymbol);
        return lockMember is null ? null : LockId.ForMember(lockMember);
    }

    private void Report(SharedAccess access, DiagnosticDescriptor descriptor, Location location, params object[] arguments)
    {
        if (_reported.Add(access.Access))
        {
            // Every thread-safety message ends with how helper code is reached (empty in the strategy's own code).
            object[] withPath = new object[arguments.Length + 1];
            arguments.CopyTo(withPath, 0);
            withPath[arguments.Length] = access.Path;
            Emit(access, Diagnostic.Create(descriptor, location, withPath));
        }
    }

    /// <summary>
    /// One diagnostic per access. The strategy's own code is reported now; helper code may be reached from other
    /// strategies too, so its finding is offered to the compilation, which reports the one with the shortest path.
    /// </summary>
    private void Emit(SharedAccess access, Diagnostic diagnostic)
    {
        if (access.Path.Length == 0)
        {
            _report(diagnostic);
        }
        else
        {
            _compilation.Offer(access.Access, new HelperFinding(access.Hops, _strategy.ToDisplayString(), access.Path, diagnostic));
        }
    }
}
