using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// One unit of code in the call graph (a method, accessor, local function or lambda, of the strategy or of a helper
/// type it reaches), with the field accesses, calls and lock targets found in its body: the method's summary,
/// computed once and composed over every calling context.
/// </summary>
internal sealed class CodeNode
{
    public CodeNode(ISymbol symbol, NodeRole role)
    {
        Symbol = symbol;
        Role = role;
    }

    public ISymbol Symbol { get; }

    public NodeRole Role { get; }

    public List<FieldAccess> Accesses { get; } = new();

    public List<CallEdge> Calls { get; } = new();

    /// <summary>Expressions locked on in this node (for MEM2006).</summary>
    public List<IOperation> LockTargets { get; } = new();
}

/// <summary>
/// A call from one node to another, with the locks the caller holds at the call, where the receiver and each
/// argument come from, and whether the callee runs later on another thread (a delegate handed to a task, a timer).
/// </summary>
internal sealed class CallEdge
{
    public CallEdge(ISymbol callee, ImmutableHashSet<LockId> locks, Origin receiver, ImmutableArray<Origin> arguments, bool deferred, bool receiverLocked, Location location)
    {
        Callee = callee;
        Locks = locks;
        Receiver = receiver;
        Arguments = arguments;
        Deferred = deferred;
        ReceiverLocked = receiverLocked;
        Location = location;
    }

    public ISymbol Callee { get; }

    public ImmutableHashSet<LockId> Locks { get; }

    public Origin Receiver { get; }

    /// <summary>The origin of the argument for each parameter, by ordinal.</summary>
    public ImmutableArray<Origin> Arguments { get; }

    /// <summary>The callee runs later or elsewhere, holding nothing: a lambda handed to <c>Task.Run</c>, stored, returned.</summary>
    public bool Deferred { get; }

    /// <summary>The caller holds a lock on the receiver object itself (<c>lock (c) c.Take();</c>): the callee runs under <c>lock (this)</c>.</summary>
    public bool ReceiverLocked { get; }

    public Location Location { get; }
}
