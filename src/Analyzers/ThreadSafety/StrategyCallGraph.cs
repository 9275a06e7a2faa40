using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The call graph of one strategy's own code, and what it implies for each node: whether it can run concurrently
/// (it is reachable from an entry point), and which locks every caller holds when it runs. A private helper only
/// ever called under lock L runs holding L (RacerD's and Clang's reasoning); a helper only reachable from
/// constructors is not concurrent at all.
/// </summary>
internal sealed class StrategyCallGraph
{
    private readonly Dictionary<ISymbol, ImmutableHashSet<LockId>> _inherited;

    private StrategyCallGraph(IReadOnlyCollection<CodeNode> nodes, Dictionary<ISymbol, ImmutableHashSet<LockId>> inherited)
    {
        Nodes = nodes;
        _inherited = inherited;
    }

    public IReadOnlyCollection<CodeNode> Nodes { get; }

    /// <summary>Whether <paramref name="node"/> can run while other threads run the strategy.</summary>
    public bool IsConcurrent(CodeNode node) => _inherited.ContainsKey(node.Symbol);

    /// <summary>The locks held at <paramref name="access"/>: taken in its method, or held by every caller.</summary>
    public ImmutableHashSet<LockId> LocksAt(CodeNode node, FieldAccess access) =>
        _inherited.TryGetValue(node.Symbol, out ImmutableHashSet<LockId>? inherited) ? access.LocalLocks.Union(inherited) : access.LocalLocks;

    public static StrategyCallGraph Build(IReadOnlyCollection<CodeNode> nodes, IEnumerable<ISymbol> escaped)
    {
        var bySymbol = new Dictionary<ISymbol, CodeNode>(SymbolEqualityComparer.Default);
        foreach (CodeNode node in nodes)
        {
            bySymbol[node.Symbol] = node;
        }

        var entries = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (CodeNode node in nodes)
        {
            if (node.Role == NodeRole.Entry)
            {
                entries.Add(node.Symbol);
            }
        }

        foreach (ISymbol symbol in escaped)
        {
            if (bySymbol.ContainsKey(symbol))
            {
                entries.Add(symbol);
            }
        }

        HashSet<ISymbol> concurrent = Reach(entries, bySymbol);
        return new StrategyCallGraph(nodes, InheritLocks(entries, concurrent, bySymbol));
    }

    private static HashSet<ISymbol> Reach(HashSet<ISymbol> entries, Dictionary<ISymbol, CodeNode> bySymbol)
    {
        var reached = new HashSet<ISymbol>(entries, SymbolEqualityComparer.Default);
        var pending = new Stack<ISymbol>(entries);
        while (pending.Count > 0)
        {
            foreach (CallEdge call in bySymbol[pending.Pop()].Calls)
            {
                if (bySymbol.ContainsKey(call.Callee) && reached.Add(call.Callee))
                {
                    pending.Push(call.Callee);
                }
            }
        }

        return reached;
    }

    /// <summary>
    /// Greatest fixed point of inherited(n) = the intersection, over calls into n from concurrent code, of the
    /// caller's inherited locks plus the locks held at the call. Entry points inherit nothing. Starting every helper
    /// at "all locks" and only ever shrinking makes the iteration terminate and gives cycles their best answer.
    /// </summary>
    private static Dictionary<ISymbol, ImmutableHashSet<LockId>> InheritLocks(
        HashSet<ISymbol> entries, HashSet<ISymbol> concurrent, Dictionary<ISymbol, CodeNode> bySymbol)
    {
        var inherited = new Dictionary<ISymbol, ImmutableHashSet<LockId>>(SymbolEqualityComparer.Default);
        var known = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (ISymbol entry in entries)
        {
            inherited[entry] = ImmutableHashSet<LockId>.Empty;
            known.Add(entry);
        }

        bool changed = true;
        while (changed)
        {
            changed = false;
            var incoming = new Dictionary<ISymbol, ImmutableHashSet<LockId>>(SymbolEqualityComparer.Default);
            foreach (ISymbol caller in known)
            {
                foreach (CallEdge call in bySymbol[caller].Calls)
                {
                    if (!concurrent.Contains(call.Callee) || entries.Contains(call.Callee))
                    {
                        continue;
                    }

                    ImmutableHashSet<LockId> held = inherited[caller].Union(call.Locks);
                    incoming[call.Callee] = incoming.TryGetValue(call.Callee, out ImmutableHashSet<LockId>? other) ? other.Intersect(held) : held;
                }
            }

            foreach (KeyValuePair<ISymbol, ImmutableHashSet<LockId>> pair in incoming)
            {
                if (!inherited.TryGetValue(pair.Key, out ImmutableHashSet<LockId>? previous) || !previous.SetEquals(pair.Value))
                {
                    inherited[pair.Key] = pair.Value;
                    known.Add(pair.Key);
                    changed = true;
                }
            }
        }

        return inherited;
    }
}
