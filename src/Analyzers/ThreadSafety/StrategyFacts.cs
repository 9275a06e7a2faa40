using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>What the code a strategy reaches says about its fields, gathered before any rule runs.</summary>
internal sealed class StrategyFacts
{
    private readonly HashSet<ISymbol> _lockFields = new(SymbolEqualityComparer.Default);

    public StrategyFacts(ConcurrentContexts contexts)
    {
        foreach (CallContext context in contexts.All)
        {
            foreach (IOperation target in context.Node.LockTargets)
            {
                if (LockId.From(target).Member is { } member)
                {
                    _lockFields.Add(member);
                }
            }
        }
    }

    /// <summary>Whether the field (or property) is locked on somewhere in the code the strategy reaches.</summary>
    public bool IsLockField(ISymbol member) => _lockFields.Contains(member.OriginalDefinition);
}
