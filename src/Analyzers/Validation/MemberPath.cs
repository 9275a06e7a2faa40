using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// A field or property read through a variable (<c>other.Current</c>, <c>a.B.Current</c>, <c>_box.Pool</c>), or an
/// element of one (<c>holders[0].Pool</c>, <c>_blocks[i]</c>): a fact of its own, separate from the same members read
/// through another variable, and dropped when its root or any step along it is assigned (<see cref="Within"/>). The
/// root is a local, a parameter, or a field or property of the class itself (or a static one); each step a field or a
/// property that is not an indexer (an <see cref="ISymbol"/>), or an element at a constant or a local's or parameter's
/// index (an <see cref="ElementStep"/>).
/// </summary>
internal sealed class MemberPath
{
    public MemberPath(ISymbol root, ImmutableArray<object> members)
    {
        Root = root;
        Members = members;
    }

    /// <summary>The variable the members are read through.</summary>
    public ISymbol Root { get; }

    /// <summary>The steps read, in order (at least one): fields and properties (<see cref="ISymbol"/>) and elements (<see cref="ElementStep"/>).</summary>
    public ImmutableArray<object> Members { get; }

    /// <summary>
    /// The path <paramref name="operation"/> reads, as a root and the steps after it (none: the root itself), or
    /// false when it reads anything else (a call, an element at a computed index, <c>this</c> alone).
    /// </summary>
    public static bool TryRead(IOperation operation, out ISymbol root, out ImmutableArray<object> members)
    {
        var path = ImmutableArray.CreateBuilder<object>();
        IOperation? current = operation.WithoutConversions();
        while (true)
        {
            (object? step, IOperation? instance) = current switch
            {
                IFieldReferenceOperation field => ((object?)field.Field, field.Instance),
                IPropertyReferenceOperation { Property.IsIndexer: false } property => (property.Property, property.Instance),
                IArrayElementReferenceOperation { Indices.Length: 1 } element => (ElementStep.Of(element.Indices[0]), element.ArrayReference),
                IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer => (ElementStep.Of(indexer.Arguments[0].Value), indexer.Instance),
                _ => (null, null),
            };

            if (step is null)
            {
                // A local or parameter starts the path; anything else (a call, an element at a computed index, this
                // alone) is no variable, and the read is not a path.
                root = FlowFacts.ReferencedVariable(current!)!;
                break;
            }

            if (step is ISymbol member && LockId.IsOwnMember(instance))
            {
                root = member;
                break;
            }

            // An element is read through an array or an indexer's instance, never through nothing.
            path.Add(step);
            current = instance!.WithoutConversions();
        }

        path.Reverse();
        members = path.ToImmutable();
        return root is not null;
    }

    /// <summary>
    /// Whether this path reads through <paramref name="root"/> and then <paramref name="prefix"/>'s steps, so that
    /// assigning that prefix may change what it reads (the same path included): an element step matches any element that
    /// may be the same one (<see cref="ElementStep.MayBe"/>: <c>a[i]</c> and <c>a[0]</c>, not <c>a[0]</c> and <c>a[1]</c>).
    /// </summary>
    public bool Within(ISymbol root, ImmutableArray<object> prefix) => Starts(root, prefix, exact: false);

    /// <summary>Whether a step of this path is an element at <paramref name="index"/>'s value (assigning it moves the element).</summary>
    public bool IndexedBy(ISymbol index) =>
        Members.Any(step => step is ElementStep { Key: ISymbol key } && SymbolEqualityComparer.Default.Equals(key, index));

    private bool Starts(ISymbol root, ImmutableArray<object> prefix, bool exact)
    {
        if (!SymbolEqualityComparer.Default.Equals(Root, root) || prefix.Length > Members.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            bool same = (Members[i], prefix[i]) switch
            {
                (ElementStep mine, ElementStep theirs) => exact ? mine.Equals(theirs) : mine.MayBe(theirs),
                (ISymbol mine, ISymbol theirs) => SymbolEqualityComparer.Default.Equals(mine, theirs),
                _ => false,
            };
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How diagnostics name it: <c>root.Member[index].Member</c>.</summary>
    public override string ToString()
    {
        var name = new System.Text.StringBuilder(Root.Name);
        foreach (object step in Members)
        {
            _ = step is ISymbol member ? name.Append('.').Append(member.Name) : name.Append(step);
        }

        return name.ToString();
    }

    public override bool Equals(object? obj) =>
        obj is MemberPath other && other.Members.Length == Members.Length && other.Starts(Root, Members, exact: true);

    public override int GetHashCode()
    {
        int hash = SymbolEqualityComparer.Default.GetHashCode(Root);
        foreach (object step in Members)
        {
            hash = (hash * 31) + (step is ISymbol member ? SymbolEqualityComparer.Default.GetHashCode(member) : step.GetHashCode());
        }

        return hash;
    }
}

/// <summary>
/// An element step of a <see cref="MemberPath"/>: the element at a constant index (<c>[0]</c>, <c>["key"]</c>) or at
/// the value of a local or parameter (<c>[i]</c>), read through an array or a one-argument indexer.
/// </summary>
internal sealed class ElementStep
{
    private ElementStep(object key) => Key = key;

    /// <summary>The constant (boxed) or the local or parameter (an <see cref="ISymbol"/>) the element is read at.</summary>
    public object Key { get; }

    /// <summary>The step for an element read at <paramref name="index"/>, or null when the index is computed (a call, a field, <c>i + 1</c>).</summary>
    public static ElementStep? Of(IOperation index)
    {
        if (index.ConstantValue is { HasValue: true, Value: { } constant })
        {
            return new ElementStep(constant);
        }

        return FlowFacts.ReferencedVariable(index) is { } variable ? new ElementStep(variable) : null;
    }

    /// <summary>Whether this element and <paramref name="other"/> may be the same one: only two different constants cannot.</summary>
    public bool MayBe(ElementStep other) => Key is ISymbol || other.Key is ISymbol || Equals(other);

    public override bool Equals(object? obj) =>
        obj is ElementStep other && (Key is ISymbol symbol
            ? SymbolEqualityComparer.Default.Equals(symbol, other.Key as ISymbol)
            : other.Key is not ISymbol && Key.Equals(other.Key));

    public override int GetHashCode() => Key is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : Key.GetHashCode();

    public override string ToString() => "[" + (Key is ISymbol symbol ? symbol.Name : Key is string text ? "\"" + text + "\"" : System.Convert.ToString(Key, System.Globalization.CultureInfo.InvariantCulture)) + "]";
}
