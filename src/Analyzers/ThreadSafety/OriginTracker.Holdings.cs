using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

// What the method's own objects hold (RacerD's ownership, carried into containers): a local or a parameter stored into
// an object a local holds (`box.Item = n`, `new Box { Item = n }`, `new Box(n)` whose constructor keeps it,
// `list.Add(n)`) is reached through that object, so publishing the object publishes it too:
// `var box = new Box(n); _shared = box; n.X++;` races with whoever reads `_shared.Item`.
internal sealed partial class OriginTracker
{
    /// <summary>How many containers deep publication is followed (a box in a box in a box...).</summary>
    private const int MaxHoldingDepth = 8;

    private readonly Dictionary<ILocalSymbol, List<ISymbol>> _held = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Records that <paramref name="value"/>, a local or a parameter, was stored into the object a local holds through
    /// <paramref name="target"/> (<c>box.Item</c>, <c>box.Items[0]</c>, the receiver <c>list</c> of <c>list.Add</c>):
    /// publishing that local later publishes it.
    /// </summary>
    public void Hold(IOperation? target, IOperation value)
    {
        if (HolderLocal(target) is { } holder)
        {
            AddHeld(holder, value);
        }
    }

    private void AddHeld(ILocalSymbol holder, IOperation value)
    {
        if (Variable(value) is { } held && !SymbolEqualityComparer.Default.Equals(holder, held))
        {
            if (!_held.TryGetValue(holder, out List<ISymbol>? list))
            {
                _held[holder] = list = new List<ISymbol>();
            }

            list.Add(held);
        }
    }

    /// <summary>The locals and parameters stored into the object <paramref name="variable"/> holds, directly.</summary>
    private IEnumerable<ISymbol> HeldBy(ISymbol variable) =>
        variable is ILocalSymbol local && _held.TryGetValue(local, out List<ISymbol>? held) ? held : System.Array.Empty<ISymbol>();

    /// <summary>
    /// The parameters stored, at any depth of containers, into the object <paramref name="value"/> is
    /// (<see cref="MethodSummaries.EscapesOf"/>: storing the container stores them).
    /// </summary>
    public IEnumerable<IParameterSymbol> HeldParameters(IOperation value)
    {
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<ISymbol>();
        if (Variable(value) is ILocalSymbol start)
        {
            pending.Push(start);
        }

        while (pending.Count != 0)
        {
            foreach (ISymbol held in HeldBy(pending.Pop()))
            {
                if (!seen.Add(held))
                {
                    continue;
                }

                if (held is IParameterSymbol parameter)
                {
                    yield return parameter;
                }
                else
                {
                    pending.Push(held);
                }
            }
        }
    }

    /// <summary>
    /// A local given a new object starts holding what the creation stored into it: its initialiser's members and items
    /// (<c>new Box { Item = n }</c>, <c>new List&lt;Node&gt; { n }</c>) and the arguments its constructor keeps
    /// (<c>new Box(n)</c>, read from the constructor's body). A local given anything else holds nothing (yet).
    /// </summary>
    private void HoldCreated(ILocalSymbol local, IOperation? value)
    {
        _held.Remove(local);
        if (value?.WithoutConversions() is not IObjectCreationOperation creation)
        {
            return;
        }

        if (creation.Constructor is { } constructor && _callees?.EscapesOf(constructor) is { IsEmpty: false } escapes)
        {
            foreach (IArgumentOperation argument in creation.Arguments)
            {
                if (argument.Parameter is { Ordinal: var ordinal } && escapes.OfParameter(ordinal).IncludesThis)
                {
                    AddHeld(local, argument.Value);
                }
            }
        }

        if (creation.Initializer is null)
        {
            return;
        }

        foreach (IOperation initializer in creation.Initializer.Initializers)
        {
            switch (initializer)
            {
                case ISimpleAssignmentOperation member:
                    AddHeld(local, member.Value);
                    break;
                case IInvocationOperation add:
                    foreach (IArgumentOperation item in add.Arguments)
                    {
                        AddHeld(local, item.Value);
                    }

                    break;
            }
        }
    }

    /// <summary>The local whose object a store into <paramref name="target"/> lands in (<c>box</c> for <c>box.Inner.Items[0]</c>), or null.</summary>
    private static ILocalSymbol? HolderLocal(IOperation? target) => target?.WithoutConversions() switch
    {
        ILocalReferenceOperation { Local: { IsRef: false } local } => local,
        IFieldReferenceOperation { Instance: { } instance } => HolderLocal(instance),
        IPropertyReferenceOperation { Instance: { } instance } => HolderLocal(instance),
        IArrayElementReferenceOperation element => HolderLocal(element.ArrayReference),
        _ => null,
    };

    /// <summary>A local or a parameter of the method (not a lambda's) holding an object, which <see cref="Publish(IOperation, Origin)"/> can follow; null for any other value.</summary>
    private static ISymbol? Variable(IOperation value) => value.WithoutConversions() switch
    {
        ILocalReferenceOperation { Local: var local } => local,
        IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol, Type.IsReferenceType: true } parameter } => parameter,
        _ => null,
    };
}
