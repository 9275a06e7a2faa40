using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The fields of one <c>[MemoryStrategy]</c> class that hold strategies (MEM1009 and MEM1010 look at these), and which
/// field an operation of the class reads. An auto-property counts as its backing field: <c>Pool { get; } = new(…)</c>
/// holds a strategy exactly as <c>_pool</c> would, and the diagnostics name and point at the property.
/// </summary>
internal sealed class InnerStrategyFields
{
    /// <summary>The backing field of each of the type's auto-properties.</summary>
    private readonly Dictionary<IPropertySymbol, IFieldSymbol> _backingFields;

    private InnerStrategyFields(INamedTypeSymbol type, ImmutableArray<IFieldSymbol> fields, Dictionary<IPropertySymbol, IFieldSymbol> backingFields)
    {
        Type = type;
        Fields = fields;
        _backingFields = backingFields;
    }

    /// <summary>The strategy class.</summary>
    public INamedTypeSymbol Type { get; }

    /// <summary>Its instance fields (and auto-properties' backing fields) that hold strategies (<see cref="InnerStrategyTypes.HowHeld"/>).</summary>
    public ImmutableArray<IFieldSymbol> Fields { get; }

    /// <summary>The fields of <paramref name="type"/> that hold strategies; null when there are none.</summary>
    public static InnerStrategyFields? Of(INamedTypeSymbol type, INamedTypeSymbol contract)
    {
        ImmutableArray<IFieldSymbol>.Builder? fields = null;
        foreach (ISymbol member in type.GetMembers())
        {
            // Implicitly declared fields other than backing fields (an event's, a primary constructor's) are left out.
            if (member is IFieldSymbol { IsStatic: false } field
                && (!field.IsImplicitlyDeclared || field.AssociatedSymbol is IPropertySymbol)
                && InnerStrategyTypes.HowHeld(field.Type, contract) != InnerStrategyHolding.None)
            {
                (fields ??= ImmutableArray.CreateBuilder<IFieldSymbol>()).Add(field);
            }
        }

        return fields is null ? null : new InnerStrategyFields(type, fields.ToImmutable(), AutoProperties.BackingFields(type));
    }

    /// <summary>
    /// The field <paramref name="operation"/> reads (any field, of any object), directly or through one of its
    /// elements (<c>_classes[i]</c>, <c>_pools[i]</c> on a list, <c>_byName[key]</c> on a dictionary); an
    /// auto-property of this type reads its backing field. Null for anything else.
    /// </summary>
    public IFieldSymbol? FieldOf(IOperation? operation) => operation?.WithoutConversions() switch
    {
        IFieldReferenceOperation reference => reference.Field.OriginalDefinition,
        IArrayElementReferenceOperation element => FieldOf(element.ArrayReference),
        IPropertyReferenceOperation { Property.IsIndexer: true } element => FieldOf(element.Instance),
        IPropertyReferenceOperation property => _backingFields.TryGetValue(property.Property.OriginalDefinition, out IFieldSymbol? backing) ? backing : null,
        _ => null,
    };

    /// <summary>
    /// The field <paramref name="operation"/> reads as a whole (<c>_inner</c>, <c>Pool</c>), not one of its elements;
    /// null for anything else.
    /// </summary>
    public IFieldSymbol? WholeFieldOf(IOperation? operation) =>
        operation?.WithoutConversions() is (IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false }) and var whole
            ? FieldOf(whole)
            : null;

    /// <summary>The backing field of <paramref name="property"/>, when it is an auto-property of the type (what its initializer fills).</summary>
    public IFieldSymbol? BackingFieldOf(IPropertySymbol property) =>
        _backingFields.TryGetValue(property.OriginalDefinition, out IFieldSymbol? backing) ? backing : null;

    /// <summary>
    /// The field whose strategies a <c>foreach</c> over <paramref name="collection"/> visits: <see cref="FieldOf"/>, or a
    /// dictionary field's <c>Values</c>.
    /// </summary>
    public IFieldSymbol? CollectionFieldOf(IOperation collection) =>
        FieldOf(collection)
        ?? (collection.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Values", Property.IsIndexer: false, Instance: { } dictionary }
            ? FieldOf(dictionary)
            : null);
}
