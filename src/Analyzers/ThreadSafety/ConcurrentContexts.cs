using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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
        public Entry(ImmutableHashSet<LockId> locks, CallContext? parent)
        {
            Locks = locks;
            Parent = parent;
        }

        public ImmutableHashSet<LockId> Locks { get; set; }

        /// <summary>The caller whose call last narrowed the locks (or first reached the context): the path to report.</summary>
        public CallContext? Parent { get; set; }
    }

    public IEnumerable<CallContext> All => _entries.Keys;

    public ImmutableHashSet<LockId> LocksOf(CallContext context) => _entries[context].Locks;

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
                contexts._entries[root] = new Entry(ImmutableHashSet<LockId>.Empty, null);
                pending.Enqueue(root);
            }
        }

        while (pending.Count > 0)
        {
            CallContext caller = pending.Dequeue();
            ImmutableHashSet<LockId> inherited = contexts._entries[caller].Locks;
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
                    sharedParameters: Origin.SharedMask(call.Arguments, caller));
                ImmutableHashSet<LockId> held = call.Deferred ? ImmutableHashSet<LockId>.Empty : inherited.Union(call.Locks);
                if (call.ReceiverLocked && callee.Symbol.ContainingType is { } calleeType)
                {
                    held = held.Add(LockId.ThisOf(calleeType));
                }

                if (contexts.Merge(context, held, caller))
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
        : symbol is IMethodSymbol { AssociatedSymbol: { } property } ? property.ContainingType.Name + "." + property.Name
        : symbol.ContainingType.Name + "." + symbol.Name;

    private bool Merge(CallContext context, ImmutableHashSet<LockId> held, CallContext caller)
    {
        if (!_entries.TryGetValue(context, out Entry? entry))
        {
            _entries[context] = new Entry(held, caller);
            return true;
        }

        ImmutableHashSet<LockId> narrowed = entry.Locks.Intersect(held);
        if (narrowed.Count == entry.Locks.Count)
        {
            return false;
        }

        entry.Locks = narrowed;
        entry.Parent = caller;
        return true;
    }
}
