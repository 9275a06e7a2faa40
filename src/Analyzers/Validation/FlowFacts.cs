using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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

    /// <summary>
    /// The local, parameter, field or property of the class, or path of fields and properties to one
    /// (<see cref="MemberPath"/>) that <paramref name="operation"/> reads, as a fact; null for anything else.
    /// </summary>
    public static object? FactOf(IOperation operation) =>
        MemberPath.TryRead(operation, out ISymbol root, out ImmutableArray<object> members)
            ? members.IsEmpty ? root : new MemberPath(root, members)
            : null;

    /// <summary>
    /// <paramref name="facts"/> without what assigning <paramref name="target"/> changes: its own fact and every path
    /// read through it (<c>a.B.Current</c> after <c>a.B = …</c> or <c>a = …</c>; <c>a[0]</c> and <c>a[i]</c> after
    /// <c>a[i] = …</c>), through any variable known to hold the same object (<see cref="Alias"/>: <c>b.B.Current</c> too
    /// after <c>var b = a;</c>); a variable assigned no longer holds what its aliases hold, and an index variable
    /// assigned (<c>i++</c>) no longer names the element it did (<c>a[i]</c>).
    /// </summary>
    public static ImmutableHashSet<object> Forget(ImmutableHashSet<object> facts, IOperation target)
    {
        if (!MemberPath.TryRead(target, out ISymbol root, out ImmutableArray<object> members))
        {
            return facts;
        }

        if (members.IsEmpty)
        {
            return facts.Except(facts.Where(fact => fact switch
            {
                MemberPath path => path.Within(root, members) || path.IndexedBy(root),
                Alias alias => alias.Has(root),
                _ => SymbolEqualityComparer.Default.Equals(fact as ISymbol, root),
            }));
        }

        ImmutableArray<ISymbol> roots = AliasesOf(facts, root);
        return facts.Except(facts.Where(fact => fact is MemberPath path && roots.Any(r => path.Within(r, members))));
    }

    /// <summary>
    /// The target of an assignment other than a plain one (<c>i++</c>, <c>p += 8</c>, <c>x ??= y</c>), whose new value
    /// is none of the old facts; null for any other operation.
    /// </summary>
    public static IOperation? UpdatedInPlace(IOperation operation) => operation switch
    {
        ICompoundAssignmentOperation compound => compound.Target,
        ICoalesceAssignmentOperation coalesce => coalesce.Target,
        IIncrementOrDecrementOperation increment => increment.Target,
        _ => null,
    };

    /// <summary>
    /// After <paramref name="target"/> = <paramref name="value"/>: when both are variables (a local, a parameter, a
    /// field of the class) of a reference or pointer type, the target holds what the value holds, so it gets the
    /// value's facts and those of paths through it (<c>b.Pool</c> validated after <c>var b = a;</c> when <c>a.Pool</c>
    /// was), and becomes an <see cref="Alias"/> of it and of its aliases. Call after <see cref="Forget"/>.
    /// </summary>
    public static ImmutableHashSet<object> Copy(ImmutableHashSet<object> facts, IOperation target, IOperation value)
    {
        if (FactOf(target) is not ISymbol assigned || SameObject(value) is not ISymbol source
            || SymbolEqualityComparer.Default.Equals(assigned, source))
        {
            return facts;
        }

        ImmutableHashSet<object>.Builder copied = facts.ToBuilder();
        foreach (ISymbol alias in AliasesOf(facts, source))
        {
            copied.Add(new Alias(assigned, alias));
        }

        foreach (object fact in facts)
        {
            if (fact is MemberPath path && SymbolEqualityComparer.Default.Equals(path.Root, source))
            {
                copied.Add(new MemberPath(assigned, path.Members));
            }
            else if (SymbolEqualityComparer.Default.Equals(fact as ISymbol, source))
            {
                copied.Add(assigned);
            }
        }

        return copied.ToImmutable();
    }

    /// <summary><paramref name="facts"/> and <paramref name="fact"/>, for every variable known to hold the same object as its root.</summary>
    public static ImmutableHashSet<object> AddWithAliases(ImmutableHashSet<object> facts, object fact) =>
        facts.Union(Aliased(facts, fact));

    /// <summary><paramref name="facts"/> without <paramref name="fact"/>, for every variable known to hold the same object as its root.</summary>
    public static ImmutableHashSet<object> RemoveWithAliases(ImmutableHashSet<object> facts, object fact) =>
        facts.Except(Aliased(facts, fact));

    /// <summary><paramref name="fact"/> read through its root and through each of the root's aliases.</summary>
    private static IEnumerable<object> Aliased(ImmutableHashSet<object> facts, object fact) => fact switch
    {
        MemberPath path => AliasesOf(facts, path.Root).Select(root => (object)new MemberPath(root, path.Members)),
        ISymbol symbol => AliasesOf(facts, symbol),
        _ => new[] { fact },
    };

    /// <summary><paramref name="root"/> and every variable an <see cref="Alias"/> in <paramref name="facts"/> pairs it with.</summary>
    private static ImmutableArray<ISymbol> AliasesOf(ImmutableHashSet<object> facts, ISymbol root)
    {
        ImmutableArray<ISymbol>.Builder roots = ImmutableArray.CreateBuilder<ISymbol>();
        roots.Add(root);
        foreach (object fact in facts)
        {
            if (fact is Alias alias && alias.Other(root) is { } other)
            {
                roots.Add(other);
            }
        }

        return roots.ToImmutable();
    }

    /// <summary>
    /// The variable <paramref name="value"/> reads when what it gives is that same object or pointer (a reference
    /// conversion, a pointer cast), not a number made of it (<c>(nint)p</c>) nor a copy of a struct.
    /// </summary>
    private static ISymbol? SameObject(IOperation value)
    {
        IOperation read = value;
        while (read is IConversionOperation conversion && conversion.Operand.Type is { } from && conversion.Type is { } to
            && ((from.IsReferenceType && to.IsReferenceType) || (from.TypeKind == TypeKind.Pointer && to.TypeKind == TypeKind.Pointer)))
        {
            read = conversion.Operand;
        }

        return read is not IConversionOperation && read.Type is { } type && (type.IsReferenceType || type.TypeKind == TypeKind.Pointer)
            ? FactOf(read) as ISymbol
            : null;
    }

    /// <summary>
    /// <paramref name="facts"/> without the fields, properties and member paths that <paramref name="call"/> (an
    /// invocation, or a user-defined operator or conversion: <see cref="UserDefinedOperator"/>) may have
    /// changed or tested, where a local or parameter only an assignment changes. For each step of a fact (a path's root
    /// when it is a field, each member, the last one), <paramref name="writes"/> reads the code the call runs and says
    /// what it does to that member (<see cref="FieldEffect"/>: an element or a computed property is
    /// <see cref="FieldEffect.Unknown"/>), and <paramref name="forgets"/> decides, given whether the step is the fact's
    /// last: a rule that follows a value forgets it when a step may be assigned, one that follows a test when the last
    /// step may be read too. <c>Console.WriteLine(…)</c>, or a method that does not touch the path, leaves it.
    /// </summary>
    public static ImmutableHashSet<object> ForgetMembers(
        ImmutableHashSet<object> facts, IOperation call, CalleeFieldWrites writes, System.Func<FieldEffect, bool, bool> forgets)
    {
        // An alias of a field ends with what the field held.
        return facts.Except(facts.Where(fact => fact switch
        {
            Alias alias => MayChange(alias.First) || MayChange(alias.Second),
            _ => MayChange(fact),
        }));

        bool MayChange(object fact) => fact switch
        {
            MemberPath path => Step(path.Root, last: false)
                || path.Members.Select((step, i) => (step, i)).Any(s => Step(s.step, last: s.i == path.Members.Length - 1)),
            ISymbol symbol => Step(symbol, last: true),
            _ => false,
        };

        bool Step(object step, bool last) => step switch
        {
            ILocalSymbol or IParameterSymbol => false,
            IFieldSymbol or IPropertySymbol => forgets(writes.EffectOn(call, (ISymbol)step), last),
            _ => forgets(FieldEffect.Unknown, last),
        };
    }

    /// <summary>The user-defined operator or conversion <paramref name="operation"/> calls, with its operands; null for any other operation.</summary>
    public static (IMethodSymbol Method, ImmutableArray<IOperation> Operands)? UserDefinedOperator(IOperation operation) => operation switch
    {
        IBinaryOperation { OperatorMethod: { } method } binary => (method, ImmutableArray.Create(binary.LeftOperand, binary.RightOperand)),
        IUnaryOperation { OperatorMethod: { } method } unary => (method, ImmutableArray.Create(unary.Operand)),
        IConversionOperation { OperatorMethod: { } method } conversion => (method, ImmutableArray.Create(conversion.Operand)),
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

/// <summary>The facts' equality: symbols as <see cref="SymbolEqualityComparer.Default"/> compares them, anything else by its own.</summary>
internal sealed class FactComparer : System.Collections.Generic.IEqualityComparer<object>
{
    public static readonly FactComparer Instance = new();

    public new bool Equals(object? x, object? y) =>
        x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : object.Equals(x, y);

    public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
}
