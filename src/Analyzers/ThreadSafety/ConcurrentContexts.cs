using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Every context (<see cref="CallContext"/>) in which a strategy's code and the helper code it reaches runs, from
/// the strategy's entry points (markers, non-private members, delegates handed to other threads) and construction
/// (constructors, initialisers, <c>[Cleanup]</c>, <c>[SingleThreaded]</c> members, which only reach helpers as
/// non-concurrent), with the locks every path into the context holds: the greatest fixed point of "the
/// intersection, over the calls into it, of the caller's locks plus those held at the call" (RacerD's and Clang's
/// reasoning). One path without a lock drops it, so an access is reported when any path reaches it unlocked.
/// </summary>
internal sealed class ConcurrentContexts
{
    private readonly Dictionary<CallContext, Entry> _entries = new();

    private sealed class Entry
    {
        public Entry(PathLocks path, CallContext? parent)
        {
            Locks = path.Held;
            FirstHeld = path.Held;
            LastHeld = path.Held;
            EveryPathLocked = path.Locked;
            EveryPathGloballyLocked = path.GloballyLocked;
            Parent = parent;
        }

        public ImmutableHashSet<LockId> Locks { get; set; }

        /// <summary>The locks of the first path into the context, and of the one that last narrowed them: for MEM2005's message.</summary>
        public ImmutableHashSet<LockId> FirstHeld { get; }

        public ImmutableHashSet<LockId> LastHeld { get; set; }

        /// <summary>Every path into the context holds some lock, though maybe not the same one (then <see cref="Locks"/> is empty).</summary>
        public bool EveryPathLocked { get; set; }

        /// <summary>Every path into the context holds a lock that excludes every thread: one reached from a static.</summary>
        public bool EveryPathGloballyLocked { get; set; }

        /// <summary>The caller whose call last narrowed the locks (or first reached the context): the path to report.</summary>
        public CallContext? Parent { get; set; }
    }

    /// <summary>What one path into a context holds.</summary>
    private readonly struct PathLocks
    {
        public PathLocks(ImmutableHashSet<LockId> held, bool locked, bool globallyLocked)
        {
            Held = held;
            Locked = locked;
            GloballyLocked = globallyLocked;
        }

        public ImmutableHashSet<LockId> Held { get; }

        public bool Locked { get; }

        public bool GloballyLocked { get; }
    }

    public IEnumerable<CallContext> All => _entries.Keys;

    public ImmutableHashSet<LockId> LocksOf(CallContext context) => _entries[context].Locks;

    /// <summary>Whether every path into <paramref name="context"/> holds some lock (not necessarily one lock common to all).</summary>
    public bool EveryPathLocked(CallContext context) => _entries[context].EveryPathLocked;

    /// <summary>Whether every path into <paramref name="context"/> holds a lock reached from a static.</summary>
    public bool EveryPathGloballyLocked(CallContext context) => _entries[context].EveryPathGloballyLocked;

    /// <summary>
    /// When every path into <paramref name="context"/> holds a lock but no lock is common to them: a lock one path
    /// holds (<paramref name="here"/>, on the reported path) and one another holds (<paramref name="elsewhere"/>).
    /// The split may lie in a caller: the reported path is searched up to it.
    /// </summary>
    public bool TryDescribeSplit(CallContext context, out string here, out string elsewhere)
    {
        var seen = new HashSet<CallContext>();
        for (CallContext? current = context; current is { } c && seen.Add(c); current = _entries[c].Parent)
        {
            Entry entry = _entries[c];
            ImmutableHashSet<LockId> first = LockSets.Bases(entry.FirstHeld), last = LockSets.Bases(entry.LastHeld);
            if (FirstName(last.Except(first)) is { } mine && FirstName(first.Except(last)) is { } theirs)
            {
                here = mine;
                elsewhere = theirs;
                return true;
            }
        }

        here = elsewhere = string.Empty;
        return false;
    }

    /// <summary>The first lock name in ordinal order (lock sets are hashed, in no fixed order), or null for none.</summary>
    public static string? FirstName(IEnumerable<LockId> locks)
    {
        string? first = null;
        foreach (LockId id in locks)
        {
            if (first is null || string.CompareOrdinal(id.Name, first) < 0)
            {
                first = id.Name;
            }
        }

        return first;
    }

    public static ConcurrentContexts Build(IReadOnlyCollection<CodeNode> strategyNodes, Func<ISymbol, CodeNode?> findHelper, ConcurrencySymbols symbols)
    {
        var own = new Dictionary<ISymbol, CodeNode>(SymbolEqualityComparer.Default);
        foreach (CodeNode node in strategyNodes)
        {
            own[node.Symbol] = node;
        }

        var contexts = new ConcurrentContexts();
        var pending = new Queue<CallContext>();
        foreach (CodeNode node in strategyNodes)
        {
            if (node.Role != NodeRole.Helper)
            {
                var root = new CallContext(node, concurrent: node.Role == NodeRole.Entry, thisShared: true, sharedParameters: 0);
                contexts._entries[root] = new Entry(new PathLocks(ImmutableHashSet<LockId>.Empty, locked: false, globallyLocked: false), null);
                pending.Enqueue(root);
            }
        }

        while (pending.Count > 0)
        {
            CallContext caller = pending.Dequeue();
            Entry callerEntry = contexts._entries[caller];
            ImmutableHashSet<LockId> inherited = callerEntry.Locks;
            foreach (CallEdge call in caller.Node.Calls)
            {
                CodeNode? callee = own.TryGetValue(call.Callee, out CodeNode? mine) ? mine : findHelper(call.Callee);
                if (callee is null)
                {
                    continue;
                }

                bool alone = callee.Role == NodeRole.Construction || KnownSymbols.HasAttribute(callee.Symbol, symbols.SingleThreadedAttribute);
                var context = new CallContext(
                    callee,
                    concurrent: (caller.Concurrent || call.Deferred) && !alone,
                    thisShared: call.Receiver.IsSharedIn(caller),
                    sharedParameters: Origin.SharedMask(call.Arguments, caller),
                    thisGlobal: call.Receiver.IsGlobalIn(caller),
                    globalParameters: Origin.GlobalMask(call.Arguments, caller));
                ImmutableHashSet<LockId> held = call.Deferred ? ImmutableHashSet<LockId>.Empty : inherited.Union(call.Locks);
                bool receiverLocked = call.ReceiverLocked && callee.Symbol.ContainingType is not null;
                if (receiverLocked)
                {
                    held = held.Add(LockId.ThisOf(callee.Symbol.ContainingType!));
                }

                // A lock's holder is known relative to the code that took it: resolved here, in the caller's context.
                var path = new PathLocks(
                    held,
                    locked: !call.Deferred && (callerEntry.EveryPathLocked || !call.Locks.IsEmpty || receiverLocked),
                    globallyLocked: !call.Deferred
                        && (callerEntry.EveryPathGloballyLocked
                            || call.Locks.Any(l => l.Holder.IsGlobalIn(caller))
                            || (receiverLocked && call.Receiver.IsGlobalIn(caller))));
                if (contexts.Merge(context, path, caller))
                {
                    pending.Enqueue(context);
                }
            }
        }

        return contexts;
    }

    /// <summary>
    /// How a context is reached, for a message: <c> (reached from `S.Allocate` via `SizeClass.Take`)</c>; empty for
    /// the strategy's own code, which needs no explanation. <paramref name="hops"/> is the number of methods on the
    /// path, so that the shortest of several paths can be the one reported.
    /// </summary>
    public string DescribePath(CallContext context, INamedTypeSymbol strategy, out int hops)
    {
        hops = 0;
        if (SymbolEqualityComparer.Default.Equals(context.Node.Symbol.ContainingType?.OriginalDefinition, strategy))
        {
            return string.Empty;
        }

        var chain = new List<ISymbol>();
        var seen = new HashSet<CallContext>();
        for (CallContext? current = context; current is { } c && seen.Add(c); current = _entries[c].Parent)
        {
            if (c.Node.Symbol is IMethodSymbol { MethodKind: not MethodKind.AnonymousFunction } method)
            {
                chain.Add(method);
            }
        }

        chain.Reverse();
        hops = chain.Count;
        if (chain.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder(" (reached from `").Append(Name(chain[0])).Append('`');
        for (int i = 1; i < chain.Count; i++)
        {
            text.Append(i == 1 ? " via `" : ", `").Append(Name(chain[i])).Append('`');
        }

        return text.Append(')').ToString();
    }

    private static string Name(ISymbol symbol) =>
        symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction } ? symbol.Name
        : symbol is IMethodSymbol { AssociatedSymbol: { } property } ? TypeName(property.ContainingType) + "." + property.Name
        : TypeName(symbol.ContainingType) + "." + symbol.Name;

    /// <summary>A type's name; for a C# 14 <c>extension(...)</c> block, which has none, the static class declaring it.</summary>
    private static string TypeName(INamedTypeSymbol type) =>
        type.Name.Length == 0 && type.ContainingType is { } declaring ? declaring.Name : type.Name;

    /// <summary>
    /// Adds a path into <paramref name="context"/>; true when that changed what is known of it (each change only
    /// narrows the locks, dropping one or weakening the mode one is held in, or clears a flag, so the walk ends).
    /// </summary>
    private bool Merge(CallContext context, PathLocks path, CallContext caller)
    {
        if (!_entries.TryGetValue(context, out Entry? entry))
        {
            _entries[context] = new Entry(path, caller);
            return true;
        }

        bool changed = false;
        ImmutableHashSet<LockId> narrowed = LockSets.Meet(entry.Locks, path.Held);
        if (!narrowed.SetEquals(entry.Locks))
        {
            entry.Locks = narrowed;
            entry.LastHeld = path.Held;
            entry.Parent = caller;
            changed = true;
        }

        if (entry.EveryPathLocked && !path.Locked)
        {
            entry.EveryPathLocked = false;
            changed = true;
        }

        if (entry.EveryPathGloballyLocked && !path.GloballyLocked)
        {
            entry.EveryPathGloballyLocked = false;
            changed = true;
        }

        return changed;
    }
}
