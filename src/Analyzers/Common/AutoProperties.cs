using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Auto-properties seen as the fields they are: the compiler declares a hidden backing field for each
/// (<c>&lt;Pool&gt;k__BackingField</c>, whose <see cref="IFieldSymbol.AssociatedSymbol"/> is the property), and every
/// read or write of the property reads or writes that field and nothing else.
/// </summary>
internal static class AutoProperties
{
    /// <summary>The backing field of each auto-property declared in <paramref name="type"/>.</summary>
    public static Dictionary<IPropertySymbol, IFieldSymbol> BackingFields(INamedTypeSymbol type)
    {
        var fields = new Dictionary<IPropertySymbol, IFieldSymbol>(SymbolEqualityComparer.Default);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: IPropertySymbol property } field)
            {
                fields[property] = field;
            }
        }

        return fields;
    }

    /// <summary>Whether <paramref name="property"/> is an auto-property (it has a backing field).</summary>
    public static bool IsAutoProperty(IPropertySymbol property) => BackingField(property) is not null;

    /// <summary>The backing field of <paramref name="property"/> when it is an auto-property; null otherwise.</summary>
    public static IFieldSymbol? BackingField(IPropertySymbol property)
    {
        property = property.OriginalDefinition;
        foreach (ISymbol member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: { } associated } field && SymbolEqualityComparer.Default.Equals(associated, property))
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="field"/> is storage the user declared on an instance: an instance field written in
    /// source, or an auto-property's backing field (not an event's, nor a primary constructor's captured parameter).
    /// </summary>
    public static bool IsDeclaredInstanceStorage(IFieldSymbol field) =>
        !field.IsStatic && (!field.IsImplicitlyDeclared || field.AssociatedSymbol is IPropertySymbol);

    /// <summary>The name a field is declared under in source: an auto-property's name for its backing field.</summary>
    public static string SourceName(IFieldSymbol field) => field.AssociatedSymbol?.Name ?? field.Name;

    /// <summary>Where a field is declared in source (an auto-property's declaration for its backing field), if anywhere.</summary>
    public static Location? SourceLocation(IFieldSymbol field)
    {
        foreach (Location location in (field.AssociatedSymbol ?? field).Locations)
        {
            if (location.IsInSource)
            {
                return location;
            }
        }

        return null;
    }
}
