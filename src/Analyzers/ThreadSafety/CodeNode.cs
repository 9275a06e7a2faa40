using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// One unit of a strategy's code in the per-type call graph: a method, accessor, local function or lambda, with the
/// field accesses, calls and lock targets found in its body.
/// </summary>
internal sealed class CodeNode
{
    public CodeNode(ISymbol symbol, NodeRole role)
    {
        Symbol = symbol;
        Role = role;
    }

    public ISymbol Symbol { get; }

    public NodeRole Role { get; set; }

    public List<FieldAccess> Accesses { get; } = new();

    public List<CallEdge> Calls { get; } = new();

    /// <summary>Expressions locked on in this node (for MEM2006).</summary>
    public List<IOperation> LockTargets { get; } = new();
}

/// <summary>A call from one node to a helper of the same strategy, with the locks the caller holds at the call.</summary>
internal sealed class CallEdge
{
    public CallEdge(ISymbol callee, ImmutableHashSet<LockId> locks)
    {
        Callee = callee;
        Locks = locks;
    }

    public ISymbol Callee { get; }

    public ImmutableHashSet<LockId> Locks { get; }
}
