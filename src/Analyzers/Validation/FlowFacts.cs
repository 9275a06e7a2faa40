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

    /// <summary>The facts on entry to the graph.</summary>
    public virtual ImmutableHashSet<ISymbol> Initial => ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default);

    /// <summary>
    /// The effect of one operation (visited in pre-order, each node of each statement), reporting through
    /// <paramref name="report"/> when it is not null. Must give the same state whether or not it reports.
    /// </summary>
    public abstract ImmutableHashSet<ISymbol> Transfer(IOperation operation, ImmutableHashSet<ISymbol> facts, System.Action<Diagnostic>? report);

    /// <summary>The facts on the edge taken when <paramref name="condition"/> evaluated to <paramref name="value"/>.</summary>
    public virtual ImmutableHashSet<ISymbol> Assume(IOperation condition, bool value, ImmutableHashSet<ISymbol> facts) => facts;

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
