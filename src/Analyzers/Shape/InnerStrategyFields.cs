using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

    /// <summary>The fields that hold a helper object, each with the helper's members that hold strategies.</summary>
    private readonly Dictionary<IFieldSymbol, ImmutableArray<IFieldSymbol>> _helpers;

    private InnerStrategyFields(
        INamedTypeSymbol type,
        ImmutableArray<IFieldSymbol> fields,
        Dictionary<IPropertySymbol, IFieldSymbol> backingFields,
        Dictionary<IFieldSymbol, ImmutableArray<IFieldSymbol>> helpers)
    {
        Type = type;
        Fields = fields;
        _backingFields = backingFields;
        _helpers = helpers;
    }

    /// <summary>The strategy class.</summary>
    public INamedTypeSymbol Type { get; }

    /// <summary>
    /// Its instance fields (and auto-properties' backing fields) that hold strategies (<see cref="InnerStrategyTypes.HowHeld"/>),
    /// directly or through a helper object of the user's own (<see cref="InnerStrategyTypes.HelperMembers"/>).
    /// </summary>
    public ImmutableArray<IFieldSymbol> Fields { get; }

    /// <summary>
    /// The members of the helper object <paramref name="field"/> holds that hold strategies (<c>Fallback</c> in
    /// <c>_state.Fallback</c>); empty when the field holds strategies itself.
    /// </summary>
    public ImmutableArray<IFieldSymbol> HelperMembersOf(IFieldSymbol field) =>
        _helpers.TryGetValue(field, out ImmutableArray<IFieldSymbol> members) ? members : ImmutableArray<IFieldSymbol>.Empty;

    /// <summary>
    /// The helper object's type that a call or creation hands the holder itself to (<c>new State(this)</c>,
    /// <c>_state.Bind(this)</c>), or, with <paramref name="trackerToo"/>, the holder's own tracker
    /// (<c>new State(StatusTracker)</c>): code of the helper's own, which the rules do not read, may then keep a reference
    /// back to the holder or attach what the helper holds. Null when it hands neither to a helper's type.
    /// </summary>
    public ITypeSymbol? HelperHandedTo(IMethodSymbol target, ImmutableArray<IArgumentOperation> arguments, bool trackerToo)
    {
        ITypeSymbol helper = target.ContainingType.OriginalDefinition;
        bool isHelper = _helpers.Keys.Any(field => SymbolEqualityComparer.Default.Equals(field.Type.OriginalDefinition, helper));
        return isHelper && arguments.Any(argument => HandsHolder(argument.Value, trackerToo))
            ? helper
            : null;
    }

    /// <summary>Whether <paramref name="value"/> is the holder itself (<c>this</c>) or, with <paramref name="trackerToo"/>, its own tracker (<c>StatusTracker</c>).</summary>
    public static bool HandsHolder(IOperation value, bool trackerToo) => value.WithoutConversions() switch
    {
        IInstanceReferenceOperation => true,
        IPropertyReferenceOperation { Property.Name: "StatusTracker", Instance: IInstanceReferenceOperation } => trackerToo,
        _ => false,
    };

    /// <summary>The fields holding a helper object of <paramref name="type"/>.</summary>
    public IEnumerable<IFieldSymbol> HelperFieldsOf(ITypeSymbol type) =>
        _helpers.Keys.Where(field => SymbolEqualityComparer.Default.Equals(field.Type.OriginalDefinition, type.OriginalDefinition));

    /// <summary>
    /// Whether the holder makes the helper object <paramref name="field"/> holds, and is given it by nobody: the field
    /// (or auto-property) is initialised with a <c>new</c> object, or every assignment to it in the class's source is one
    /// (<c>_state = new State(…)</c>, <c>_state ??= new()</c>). An object the class is handed (an options object kept as
    /// <c>_options = options</c>, whose <c>Fallback</c> the caller may own or the class keeps in a field of its own) is
    /// borrowed, not the holder's state, and is not judged. A struct is the holder's own storage unless a copy is
    /// assigned to it. Read from syntax (<see cref="FieldWrites"/>).
    /// </summary>
    private static bool CreatedByHolder(IFieldSymbol field)
    {
        // A struct is the holder's own storage from the start; it is borrowed only when a copy of another is assigned.
        bool created = field.Type.IsValueType;
        foreach (ExpressionSyntax value in FieldWrites.ValuesOf(field))
        {
            if (FieldWrites.Creation(value) is null)
            {
                return false;
            }

            created = true;
        }

        return created;
    }

    /// <summary>The fields of <paramref name="type"/> that hold strategies; null when there are none.</summary>
    public static InnerStrategyFields? Of(INamedTypeSymbol type, INamedTypeSymbol contract)
    {
        ImmutableArray<IFieldSymbol>.Builder? fields = null;
        var helpers = new Dictionary<IFieldSymbol, ImmutableArray<IFieldSymbol>>(SymbolEqualityComparer.Default);
        foreach (ISymbol member in type.GetMembers())
        {
            // Implicitly declared fields other than backing fields (an event's, a primary constructor's) are left out.
            if (member is not IFieldSymbol field || !AutoProperties.IsDeclaredInstanceStorage(field))
            {
                continue;
            }

            if (InnerStrategyTypes.HowHeld(field.Type, contract) != InnerStrategyHolding.None)
            {
                (fields ??= ImmutableArray.CreateBuilder<IFieldSymbol>()).Add(field);
            }
            else if (!SymbolEqualityComparer.Default.Equals(field.Type.OriginalDefinition, type.OriginalDefinition)
                && InnerStrategyTypes.HelperMembers(field.Type, type, contract) is { IsEmpty: false } members
                && CreatedByHolder(field))
            {
                (fields ??= ImmutableArray.CreateBuilder<IFieldSymbol>()).Add(field);
                helpers[field] = members;
            }
        }

        return fields is null ? null : new InnerStrategyFields(type, fields.ToImmutable(), AutoProperties.BackingFields(type), helpers);
    }

    /// <summary>
    /// The field <paramref name="operation"/> reads (any field, of any object), directly or through one of its
    /// elements (<c>_classes[i]</c>, <c>_pools[i]</c> on a list, <c>_byName[key]</c> on a dictionary); an
    /// auto-property of this type reads its backing field. Null for anything else.
    /// </summary>
    /// <remarks>
    /// A member read through a helper object's field (<c>_state.Fallback</c>, <c>_state.Classes[i]</c>) reads that
    /// field: what the helper holds is reached through it, and the rules judge the field as a whole.
    /// </remarks>
    public IFieldSymbol? FieldOf(IOperation? operation) => HelperFieldUnder(operation) ?? DirectFieldOf(operation);

    /// <summary>
    /// The field <paramref name="operation"/> reads as a whole (<c>_inner</c>, <c>Pool</c>), not one of its elements
    /// nor a member of a helper object; null for anything else.
    /// </summary>
    public IFieldSymbol? WholeFieldOf(IOperation? operation) =>
        operation?.WithoutConversions() is (IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false }) and var whole
            ? DirectFieldOf(whole)
            : null;

    /// <summary><see cref="FieldOf"/> without following a helper object's members.</summary>
    private IFieldSymbol? DirectFieldOf(IOperation? operation) => operation?.WithoutConversions() switch
    {
        IFieldReferenceOperation reference => reference.Field.OriginalDefinition,
        IArrayElementReferenceOperation element => DirectFieldOf(element.ArrayReference),
        IPropertyReferenceOperation { Property.IsIndexer: true } element => DirectFieldOf(element.Instance),
        IPropertyReferenceOperation property => _backingFields.TryGetValue(property.Property.OriginalDefinition, out IFieldSymbol? backing) ? backing : null,
        _ => null,
    };

    /// <summary>
    /// What <paramref name="operation"/> reads, for MEM1010: the field (<c>_pool</c>, <c>_classes[i]</c>), or a helper
    /// object's field and which of the helper's strategy members (<c>_state.Fallback</c>, <c>_state.Classes[i]</c>);
    /// null for anything else (a helper's other members included).
    /// </summary>
    public InnerTarget? TargetOf(IOperation? operation)
    {
        if (HelperMemberUnder(operation) is ({ } field, var member))
        {
            return member is null ? null : new InnerTarget(field, member);
        }

        return DirectFieldOf(operation) is { } direct ? new InnerTarget(direct, null) : null;
    }

    /// <summary>The target whose strategies a <c>foreach</c> over <paramref name="collection"/> visits (<see cref="TargetOf"/>, or a dictionary's <c>Values</c>).</summary>
    public InnerTarget? CollectionTargetOf(IOperation collection) =>
        TargetOf(collection)
        ?? (collection.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Values", Property.IsIndexer: false, Instance: { } dictionary }
            ? TargetOf(dictionary)
            : null);

    /// <summary>The helper object's field of this type that <paramref name="operation"/> reads a member of (see <see cref="HelperMemberUnder"/>).</summary>
    private IFieldSymbol? HelperFieldUnder(IOperation? operation) => HelperMemberUnder(operation).Field;

    /// <summary>
    /// The helper object's field of this type that <paramref name="operation"/> reads a member of, through any fields,
    /// properties and elements of the helper (<c>_state</c> for <c>_state.Fallback</c> and <c>this._state.Classes[i]</c>),
    /// with the helper's member read first when it is one that holds strategies (<c>Fallback</c>, <c>Classes</c>, as the
    /// helper's field or an auto-property's backing field); (null, null) when it reads no helper's member.
    /// </summary>
    private (IFieldSymbol? Field, IFieldSymbol? Member) HelperMemberUnder(IOperation? operation)
    {
        if (_helpers.Count == 0)
        {
            return (null, null);
        }

        IOperation? current = operation?.WithoutConversions();
        IOperation? previous = null;
        while (current is not null)
        {
            if (previous is IMemberReferenceOperation
                && current is IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false }
                && DirectFieldOf(current) is { } field
                && _helpers.TryGetValue(field, out ImmutableArray<IFieldSymbol> members)
                && LockId.IsOwnMember(((IMemberReferenceOperation)current).Instance))
            {
                return (field, HelperMember(members, ((IMemberReferenceOperation)previous).Member));
            }

            previous = current;
            current = (current switch
            {
                IMemberReferenceOperation member => member.Instance,
                IArrayElementReferenceOperation element => element.ArrayReference,
                _ => null,
            })?.WithoutConversions();
        }

        return (null, null);
    }

    /// <summary>The member of <paramref name="members"/> that <paramref name="read"/> is (a field, or an auto-property by its backing field); null if none.</summary>
    private static IFieldSymbol? HelperMember(ImmutableArray<IFieldSymbol> members, ISymbol read)
    {
        read = read.OriginalDefinition;
        foreach (IFieldSymbol member in members)
        {
            if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, read)
                || SymbolEqualityComparer.Default.Equals(member.AssociatedSymbol?.OriginalDefinition, read))
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>The backing field of <paramref name="property"/>, when it is an auto-property of the type (what its initializer fills).</summary>
    public IFieldSymbol? BackingFieldOf(IPropertySymbol property) =>
        _backingFields.TryGetValue(property.OriginalDefinition, out IFieldSymbol? backing) ? backing : null;
}

/// <summary>
/// What MEM1010 ties an attach to: a field of the strategy that holds strategies (<see cref="Member"/> null), or one
/// strategy member of the helper object a field holds (<c>_state.Fallback</c>: the field <c>_state</c>, the member
/// <c>Fallback</c>).
/// </summary>
internal sealed class InnerTarget
{
    public InnerTarget(IFieldSymbol field, IFieldSymbol? member)
    {
        Field = field;
        Member = member;
    }

    public IFieldSymbol Field { get; }

    public IFieldSymbol? Member { get; }

    public override bool Equals(object? obj) =>
        obj is InnerTarget other
        && SymbolEqualityComparer.Default.Equals(Field, other.Field)
        && SymbolEqualityComparer.Default.Equals(Member, other.Member);

    public override int GetHashCode() =>
        (SymbolEqualityComparer.Default.GetHashCode(Field) * 31) + (Member is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(Member));
}
