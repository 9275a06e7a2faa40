using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>What the whole strategy's code says about its fields, gathered before any rule runs.</summary>
internal sealed class StrategyFacts
{
    private readonly HashSet<ISymbol> _lockFields = new(SymbolEqualityComparer.Default);

    public StrategyFacts(StrategyCallGraph graph)
    {
        foreach (CodeNode node in graph.Nodes)
        {
            foreach (IOperation target in node.LockTargets)
            {
                if (LockId.From(target).Member is { } member)
                {
                    _lockFields.Add(member);
                }
            }
        }
    }

    /// <summary>Whether the field (or property) is locked on somewhere in the strategy.</summary>
    public bool IsLockField(ISymbol member) => _lockFields.Contains(member);
}
