using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The MemoryStrategy attribute types resolved once per compilation. A null member means the compilation does
/// not reference MemoryStrategy.Abstractions (or is too broken to bind it).
/// </summary>
internal sealed class KnownSymbols
{
    public KnownSymbols(Compilation compilation)
    {
        MemoryStrategyAttribute = compilation.GetTypeByMetadataName(MarkerNames.MemoryStrategyAttribute);
        Allocate = compilation.GetTypeByMetadataName(MarkerNames.AllocateAttribute);
        Deallocate = compilation.GetTypeByMetadataName(MarkerNames.DeallocateAttribute);
        AllocateSlow = compilation.GetTypeByMetadataName(MarkerNames.AllocateSlowAttribute);
        DeallocateSlow = compilation.GetTypeByMetadataName(MarkerNames.DeallocateSlowAttribute);
        Owns = compilation.GetTypeByMetadataName(MarkerNames.OwnsAttribute);
        Validate = compilation.GetTypeByMetadataName(MarkerNames.ValidateAttribute);
        Cleanup = compilation.GetTypeByMetadataName(MarkerNames.CleanupAttribute);
        GuardedBy = compilation.GetTypeByMetadataName(MarkerNames.GuardedByAttribute);
        BenignRace = compilation.GetTypeByMetadataName(MarkerNames.BenignRaceAttribute);
        IMemoryStrategy = compilation.GetTypeByMetadataName(MarkerNames.IMemoryStrategy);
        StrategyValidator = compilation.GetTypeByMetadataName(MarkerNames.StrategyValidator);
    }

    public INamedTypeSymbol? MemoryStrategyAttribute { get; }
    public INamedTypeSymbol? Allocate { get; }
    public INamedTypeSymbol? Deallocate { get; }
    public INamedTypeSymbol? AllocateSlow { get; }
    public INamedTypeSymbol? DeallocateSlow { get; }
    public INamedTypeSymbol? Owns { get; }
    public INamedTypeSymbol? Validate { get; }
    public INamedTypeSymbol? Cleanup { get; }
    public INamedTypeSymbol? GuardedBy { get; }
    public INamedTypeSymbol? BenignRace { get; }
    public INamedTypeSymbol? IMemoryStrategy { get; }
    public INamedTypeSymbol? StrategyValidator { get; }

    /// <summary>Which marker, if any, <paramref name="attributeClass"/> is.</summary>
    public MarkerKind? GetMarker(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null)
        {
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, Allocate)) return MarkerKind.Allocate;
        if (SymbolEqualityComparer.Default.Equals(attributeClass, Deallocate)) return MarkerKind.Deallocate;
        if (SymbolEqualityComparer.Default.Equals(attributeClass, Owns)) return MarkerKind.Owns;
        if (SymbolEqualityComparer.Default.Equals(attributeClass, Validate)) return MarkerKind.Validate;
        if (SymbolEqualityComparer.Default.Equals(attributeClass, Cleanup)) return MarkerKind.Cleanup;
        if (SymbolEqualityComparer.Default.Equals(attributeClass, AllocateSlow)) return MarkerKind.AllocateSlow;
        if (SymbolEqualityComparer.Default.Equals(attributeClass, DeallocateSlow)) return MarkerKind.DeallocateSlow;
        return null;
    }

    /// <summary>Whether <paramref name="type"/> carries <c>[MemoryStrategy]</c>.</summary>
    public bool IsStrategy(INamedTypeSymbol type) => HasAttribute(type, MemoryStrategyAttribute);

    /// <summary>Whether <paramref name="symbol"/> carries an attribute of class <paramref name="attributeClass"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeClass) => FindAttribute(symbol, attributeClass) is not null;

    /// <summary>
    /// The first attribute of class <paramref name="attributeClass"/> on <paramref name="symbol"/>; null when there is
    /// none or the class did not resolve.
    /// </summary>
    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null)
        {
            return null;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass))
            {
                return attribute;
            }
        }

        return null;
    }
}
