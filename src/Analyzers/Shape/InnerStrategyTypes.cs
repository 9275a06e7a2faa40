using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What MEM1009 and MEM1010 share: they look at each <c>[MemoryStrategy]</c> class that holds strategies (an instance
/// field whose type, or element type, implements <c>IMemoryStrategy</c>), and at nothing else.
/// </summary>
internal static class InnerStrategyTypes
{
    /// <summary>
    /// Runs <paramref name="analyze"/> at the start of every strategy class with inner-strategy fields, given those
    /// fields. The caller's <c>Initialize</c> configures the context itself (concurrency, generated code), where the
    /// analyzer rules look for it.
    /// </summary>
    public static void Register(
        AnalysisContext context,
        Action<SymbolStartAnalysisContext, INamedTypeSymbol, ImmutableArray<IFieldSymbol>, KnownSymbols> analyze)
    {
        AnalyzerStart.Register<KnownSymbols>(
            context,
            compilation => new KnownSymbols(compilation) is { MemoryStrategyAttribute: not null, IMemoryStrategy: not null } known ? known : null,
            (start, known) => start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    if (known.IsStrategy(type) && InnerFields(type, known.IMemoryStrategy!) is { IsEmpty: false } inner)
                    {
                        analyze(symbolStart, type, inner, known);
                    }
                },
                SymbolKind.NamedType));
    }

    /// <summary>The instance fields of <paramref name="type"/> that hold strategies.</summary>
    private static ImmutableArray<IFieldSymbol> InnerFields(INamedTypeSymbol type, INamedTypeSymbol contract) =>
        type.GetMembers().OfType<IFieldSymbol>()
            .Where(field => !field.IsStatic && !field.IsImplicitlyDeclared && HoldsStrategy(field.Type, contract))
            .ToImmutableArray();

    /// <summary>Whether values of <paramref name="type"/> are strategies: it, or its element type, implements the contract.</summary>
    private static bool HoldsStrategy(ITypeSymbol type, INamedTypeSymbol contract)
    {
        ITypeSymbol element = type is IArrayTypeSymbol array ? array.ElementType : type;
        return SymbolEqualityComparer.Default.Equals(element, contract)
            || element.AllInterfaces.Contains(contract, SymbolEqualityComparer.Default);
    }
}
