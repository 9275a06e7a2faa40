using System;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// One way a piece of code runs, as the analysis distinguishes them (RacerD's ownership, kept to what changes a
/// verdict): whether it runs while other threads use the strategy, whether its <c>this</c> is shared with them,
/// and which of its parameters are; and which of those are reached from a static, shared by every instance of the
/// strategy, so that a lock of one instance does not protect them.
/// </summary>
internal readonly struct CallContext : IEquatable<CallContext>
{
    public CallContext(CodeNode node, bool concurrent, bool thisShared, int sharedParameters, bool thisGlobal = false, int globalParameters = 0)
    {
        Node = node;
        Concurrent = concurrent;
        ThisShared = thisShared;
        SharedParameters = sharedParameters;
        ThisGlobal = thisGlobal;
        GlobalParameters = globalParameters;
    }

    public CodeNode Node { get; }

    /// <summary>False for constructors, <c>[Cleanup]</c>, single-threaded members and what only they reach.</summary>
    public bool Concurrent { get; }

    public bool ThisShared { get; }

    /// <summary>Bit i: the argument for parameter i is shared with other threads.</summary>
    public int SharedParameters { get; }

    /// <summary>The <c>this</c> is reached from a static (<c>Registry.Instance.Hit()</c>): one object for every instance.</summary>
    public bool ThisGlobal { get; }

    /// <summary>Bit i: the argument for parameter i is reached from a static.</summary>
    public int GlobalParameters { get; }

    public bool Equals(CallContext other) =>
        ReferenceEquals(Node, other.Node) && Concurrent == other.Concurrent && ThisShared == other.ThisShared && SharedParameters == other.SharedParameters
        && ThisGlobal == other.ThisGlobal && GlobalParameters == other.GlobalParameters;

    public override bool Equals(object? obj) => obj is CallContext other && Equals(other);

    public override int GetHashCode() =>
        ((SymbolEqualityComparer.Default.GetHashCode(Node.Symbol) * 31 + SharedParameters) * 31 + GlobalParameters) * 8 + (ThisGlobal ? 4 : 0) + (Concurrent ? 2 : 0) + (ThisShared ? 1 : 0);
}
