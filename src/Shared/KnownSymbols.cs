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
        return null;
    }

    /// <summary>Whether <paramref name="type"/> carries <c>[MemoryStrategy]</c>.</summary>
    public bool IsStrategy(INamedTypeSymbol type)
    {
        if (MemoryStrategyAttribute is null)
        {
            return false;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, MemoryStrategyAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
