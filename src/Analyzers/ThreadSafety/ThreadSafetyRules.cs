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
        if (access.Kind != AccessKind.VolatileWrite || !locks.IsEmpty)
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

    /// <summary>MEM2003: every access to a <c>[GuardedBy]</c> member must hold the named lock.</summary>
    private void CheckGuardedBy(ISymbol member, LockId guard, List<SharedAccess> accesses)
    {
        foreach (SharedAccess access in accesses)
        {
            if (!access.Locks.Contains(guard))
            {
                string verb = access.Kind == AccessKind.Read || access.Kind == AccessKind.VolatileRead ? "reading" : "writing";
                if (_reported.Add(access.Access))
                {
                    // The lock's name travels with the diagnostic so the fix can write lock (name) { ... }.
                    Emit(access, Diagnostic.Create(
                        DiagnosticDescriptors.GuardedByViolation,
                        access.Access.ReferenceLocation,
                        ImmutableDictionary<string, string?>.Empty.Add(LockNameProperty, guard.Name),
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
            bool updatedAtomically = atomicUpdates.Any(a => !a.Locks.Overlaps(access.Locks));
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
                        Report(access, DiagnosticDescriptors.NonAtomicReadModifyWrite, access.Access.Location, member.Name);
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
                    Report(access, DiagnosticDescriptors.UnsynchronizedWrite, access.Access.Location, member.Name);
                }
            }
        }
    }

    /// <summary>MEM2004: a List/Dictionary/... that concurrent code changes, used outside a lock.</summary>
    private void CheckCollection(ISymbol member, List<SharedAccess> accesses)
    {
        // A field, or a primary constructor's parameter captured as one.
        if (member is not (IFieldSymbol or IParameterSymbol) || _symbols.GetUnsafeCollection(FieldAccess.TypeOf(member)!) is not { } collection)
        {
            return;
        }

        if (!accesses.Any(a => a.Access.MutatesCollection || a.Kind == AccessKind.Write))
        {
            return; // filled before the strategy was shared and only read since: safe.
        }

        string collectionName = collection.Name + (collection.Arity > 0 ? "<" + new string(',', collection.Arity - 1) + ">" : string.Empty);
        foreach (SharedAccess access in accesses)
        {
            if (access.Kind == AccessKind.Read && (access.Access.MutatesCollection || !access.IsLocked) && TryReportLockScope(member, access))
            {
                continue;
            }

            if (!access.IsLocked && access.Kind == AccessKind.Read)
            {
                Report(access, DiagnosticDescriptors.UnsynchronizedCollection, access.Access.ReferenceLocation, member.Name, collectionName);
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
    /// left out; so is the unlocked first check of lock-based double-checked initialisation of a reference.
    /// </summary>
    private void CheckConsistentLocking(ISymbol member, List<SharedAccess> accesses)
    {
        if (!accesses.Any(a => a.Access.IsWrite))
        {
            return; // never changes once shared: any lock or none is fine.
        }

        bool isVolatile = member is IFieldSymbol { IsVolatile: true };
        List<SharedAccess> considered = accesses
            .Where(a => a.Kind is AccessKind.Read or AccessKind.Write or AccessKind.ReadModifyWrite)
            .Where(a => !(isVolatile && a.Kind == AccessKind.Read && !a.Access.ThroughElement))
            .ToList();
        if (MostUsedLock(considered) is not { } usual)
        {
            return;
        }

        foreach (SharedAccess access in considered)
        {
            if (access.Locks.Contains(usual) || IsDoubleCheckedRead(member, access, usual, accesses))
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

    private static LockId? MostUsedLock(List<SharedAccess> accesses)
    {
        var counts = new Dictionary<LockId, int>();
        LockId? best = null;
        foreach (SharedAccess access in accesses)
        {
            foreach (LockId held in access.Locks.OrderBy(l => l.Name, StringComparer.Ordinal))
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
            && other.Locks.Contains(usual));
    }

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
