using System;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// One way a piece of code runs, as the analysis distinguishes them (RacerD's ownership, kept to what changes a
/// verdict): whether it runs while other threads use the strategy, whether its <c>this</c> is shared with them,
/// and which of its parameters are.
/// </summary>
internal readonly struct CallContext : IEquatable<CallContext>
{
    public CallContext(CodeNode node, bool concurrent, bool thisShared, int sharedParameters)
    {
        Node = node;
        Concurrent = concurrent;
        ThisShared = thisShared;
        SharedParameters = sharedParameters;
    }

    public CodeNode Node { get; }

    /// <summary>False for constructors, <c>[Cleanup]</c>, single-threaded members and what only they reach.</summary>
    public bool Concurrent { get; }

    public bool ThisShared { get; }

    /// <summary>Bit i: the argument for parameter i is shared with other threads.</summary>
    public int SharedParameters { get; }

    public bool Equals(CallContext other) =>
        ReferenceEquals(Node, other.Node) && Concurrent == other.Concurrent && ThisShared == other.ThisShared && SharedParameters == other.SharedParameters;

    public override bool Equals(object? obj) => obj is CallContext other && Equals(other);

    public override int GetHashCode() =>
        (SymbolEqualityComparer.Default.GetHashCode(Node.Symbol) * 31 + SharedParameters) * 4 + (Concurrent ? 2 : 0) + (ThisShared ? 1 : 0);
}
