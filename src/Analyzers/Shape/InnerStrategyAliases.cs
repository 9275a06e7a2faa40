using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The strategies a holder keeps twice: in a field of its own (<c>_small</c>) and in a collection field filled from it
/// (<c>_inner.Add(_small)</c>, <c>_inner = [_small, _large]</c>). Such a holder attaches and disposes each strategy
/// once, through whichever of the two it likes, so MEM1009 and MEM1010 let either count for the other
/// (<see cref="Extend"/>).
/// </summary>
/// <remarks>
/// Only what the holder's own bodies store is traced: a field, or a local or parameter also assigned to a field, put in
/// the collection through its indexer, an add (<see cref="CollectionAddMethods"/>), an initializer or a collection
/// expression. Anything else put in it (a new strategy, a range, the collection handed to a helper or kept in a local)
/// leaves the collection untraced: it may hold strategies no field does, so it must be attached and disposed itself.
/// </remarks>
internal sealed partial class InnerStrategyAliases
{
    private readonly InnerStrategyFields _inner;
    private readonly INamedTypeSymbol _contract;

    /// <summary>The fields holding a collection or dictionary of strategies.</summary>
    private readonly ImmutableHashSet<IFieldSymbol> _collections;

    /// <summary>The fields holding one strategy.</summary>
    private readonly ImmutableHashSet<IFieldSymbol> _singles;

    /// <summary>What each collection field was given: a field of <see cref="_singles"/>, a local or a parameter.</summary>
    private readonly ConcurrentDictionary<IFieldSymbol, ConcurrentBag<ISymbol>> _elements = new(SymbolEqualityComparer.Default);

    /// <summary>The collection fields given something else too (see the remarks).</summary>
    private readonly ConcurrentDictionary<IFieldSymbol, bool> _untraced = new(SymbolEqualityComparer.Default);

    /// <summary>The single fields each local or parameter is assigned to (<c>_small = small</c>).</summary>
    private readonly ConcurrentDictionary<ISymbol, ConcurrentBag<IFieldSymbol>> _assignedTo = new(SymbolEqualityComparer.Default);

    private InnerStrategyAliases(InnerStrategyFields inner, INamedTypeSymbol contract)
    {
        _inner = inner;
        _contract = contract;
        _collections = inner.Fields.Where(field => InnerStrategyTypes.HowHeld(field.Type, contract) is InnerStrategyHolding.Elements or InnerStrategyHolding.Values)
            .ToImmutableHashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
        _singles = inner.Fields.Where(field => InnerStrategyTypes.HowHeld(field.Type, contract) == InnerStrategyHolding.Itself)
            .ToImmutableHashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
    }

    /// <summary>Starts gathering what the bodies of the type <paramref name="context"/> analyses store into its collection fields.</summary>
    public static InnerStrategyAliases Register(SymbolStartAnalysisContext context, InnerStrategyFields inner, INamedTypeSymbol contract)
    {
        var aliases = new InnerStrategyAliases(inner, contract);
        if (aliases._collections.IsEmpty)
        {
            return aliases; // nothing can hold another field's strategy
        }

        context.RegisterOperationAction(operation => aliases.RecordCall(operation.Operation), OperationKind.Invocation);
        context.RegisterOperationAction(operation => aliases.RecordAssignment(operation.Operation), OperationKind.SimpleAssignment);
        context.RegisterOperationAction(operation => aliases.RecordInitializer(operation.Operation), OperationKind.FieldInitializer, OperationKind.PropertyInitializer);
        context.RegisterOperationAction(operation => aliases.RecordUse(operation.Operation), OperationKind.FieldReference, OperationKind.PropertyReference);
        return aliases;
    }

    /// <summary>
    /// <paramref name="done"/> (the fields a rule found attached, or disposed), with what it covers through the other
    /// way of holding the same strategies: each field whose strategy a done collection holds, then each traced
    /// collection whose every element is the strategy of a done field or of a done local or parameter
    /// (<paramref name="variableDone"/>). Call once every body has been analysed.
    /// </summary>
    public HashSet<IFieldSymbol> Extend(IEnumerable<IFieldSymbol> done, Func<ISymbol, bool>? variableDone = null)
    {
        var result = new HashSet<IFieldSymbol>(done, SymbolEqualityComparer.Default);

        // Direct facts only, so that a field and a collection never vouch for each other.
        var directCollections = _elements.Keys.Where(result.Contains).ToList();
        foreach (IFieldSymbol collection in directCollections)
        {
            foreach (ISymbol element in _elements[collection])
            {
                result.UnionWith(FieldsHolding(element));
            }
        }

        foreach (KeyValuePair<IFieldSymbol, ConcurrentBag<ISymbol>> entry in _elements)
        {
            if (!_untraced.ContainsKey(entry.Key)
                && entry.Value.All(element => FieldsHolding(element).Any(result.Contains) || (element is not IFieldSymbol && variableDone?.Invoke(element) == true)))
            {
                result.Add(entry.Key);
            }
        }

        return result;
    }

    /// <summary>The single fields that hold the strategy an element was given from: the field itself, or those the variable is assigned to.</summary>
    private IEnumerable<IFieldSymbol> FieldsHolding(ISymbol element) =>
        element is IFieldSymbol field ? [field]
        : _assignedTo.TryGetValue(element, out ConcurrentBag<IFieldSymbol>? fields) ? fields
        : [];
}
