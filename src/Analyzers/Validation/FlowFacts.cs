using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// One forward dataflow problem over a control-flow graph: a set of symbols that have a fact (validated, unchecked,
/// freed), how each operation changes it, and what a branch condition proves on each of its two edges.
/// </summary>
internal abstract class FlowFacts
{
    /// <summary>
    /// True when a fact must hold on every path (merge by intersection: "validated", "freed"); false when it may hold
    /// on some path (merge by union: "may be an unchecked allocation").
    /// </summary>
    public abstract bool MustHoldOnEveryPath { get; }

    /// <summary>
    /// The facts on entry to the graph: none. A fact is a symbol (a local, a parameter, a field, a property) or, for a
    /// rule that follows one, a <see cref="MemberPath"/>; symbols compare as <see cref="SymbolEqualityComparer.Default"/>
    /// does.
    /// </summary>
    public virtual ImmutableHashSet<object> Initial => ImmutableHashSet.Create<object>(FactComparer.Instance);

    /// <summary>
    /// The effect of one operation (visited in pre-order, each node of each statement), reporting through
    /// <paramref name="report"/> when it is not null. Must give the same state whether or not it reports.
    /// </summary>
    public abstract ImmutableHashSet<object> Transfer(IOperation operation, ImmutableHashSet<object> facts, System.Action<Diagnostic>? report);

    /// <summary>The facts on the edge taken when <paramref name="condition"/> evaluated to <paramref name="value"/>.</summary>
    public virtual ImmutableHashSet<object> Assume(IOperation condition, bool value, ImmutableHashSet<object> facts) => facts;

    /// <summary>The local or parameter an operation reads, if that is all it does.</summary>
    public static ISymbol? ReferencedVariable(IOperation operation) => operation.WithoutConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    /// <summary>Peels <c>!</c> off a condition, flipping the value it is assumed to have.</summary>
    public static IOperation StripNot(IOperation condition, ref bool value)
    {
        condition = condition.WithoutConversions();
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            value = !value;
            condition = not.Operand.WithoutConversions();
        }

        return condition;
    }
}

/// <summary>
/// A field or property read through a local or parameter (<c>other.Current</c>): a fact of its own, separate from the
/// same member read through another variable, and dropped when its root variable is assigned.
/// </summary>
internal sealed class MemberPath
{
    public MemberPath(ISymbol root, ISymbol member)
    {
        Root = root;
        Member = member;
    }

    /// <summary>The local or parameter the member is read through.</summary>
    public ISymbol Root { get; }

    /// <summary>The field or property read.</summary>
    public ISymbol Member { get; }

    /// <summary>How diagnostics name it: <c>root.Member</c>.</summary>
    public override string ToString() => Root.Name + "." + Member.Name;

    public override bool Equals(object? obj) =>
        obj is MemberPath other && SymbolEqualityComparer.Default.Equals(Root, other.Root) && SymbolEqualityComparer.Default.Equals(Member, other.Member);

    public override int GetHashCode() =>
        (SymbolEqualityComparer.Default.GetHashCode(Root) * 31) + SymbolEqualityComparer.Default.GetHashCode(Member);
}

/// <summary>The facts' equality: symbols as <see cref="SymbolEqualityComparer.Default"/> compares them, anything else by its own.</summary>
internal sealed class FactComparer : System.Collections.Generic.IEqualityComparer<object>
{
    public static readonly FactComparer Instance = new();

    public new bool Equals(object? x, object? y) =>
        x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : object.Equals(x, y);

    public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
}
