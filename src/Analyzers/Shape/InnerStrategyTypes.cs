using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What MEM1009 and MEM1010 share: they look at each <c>[MemoryStrategy]</c> class that holds strategies (an instance
/// field or auto-property whose type is a strategy, a collection of strategies, or a helper object of the user's own
/// whose fields hold them), and at nothing else.
/// </summary>
internal static class InnerStrategyTypes
{
    /// <summary>
    /// Runs <paramref name="analyze"/> at the start of every strategy class with inner-strategy fields, given those
    /// fields. The caller's <c>Initialize</c> configures the context itself (concurrency, generated code), where the
    /// analyzer rules look for it.
    /// </summary>
    public static void Register(AnalysisContext context, Action<SymbolStartAnalysisContext, InnerStrategyFields, KnownSymbols> analyze)
    {
        AnalyzerStart.Register<KnownSymbols>(
            context,
            compilation => new KnownSymbols(compilation) is { MemoryStrategyAttribute: not null, IMemoryStrategy: not null } known ? known : null,
            (start, known) => start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    if (known.IsStrategy(type) && InnerStrategyFields.Of(type, known.IMemoryStrategy!) is { } inner)
                    {
                        analyze(symbolStart, inner, known);
                    }
                },
                SymbolKind.NamedType));
    }

    /// <summary>
    /// How values of <paramref name="type"/> hold strategies: the type implements the contract; or it is an array or
    /// an <c>IEnumerable&lt;T&gt;</c> (a list, a read-only list, an <c>ImmutableArray&lt;T&gt;</c>, a set) whose
    /// elements do; or an <c>IEnumerable&lt;KeyValuePair&lt;K, V&gt;&gt;</c> (a dictionary) whose values do. One level
    /// only: a list of arrays of strategies is not followed.
    /// </summary>
    public static InnerStrategyHolding HowHeld(ITypeSymbol type, INamedTypeSymbol contract)
    {
        if (IsStrategy(type, contract))
        {
            return InnerStrategyHolding.Itself;
        }

        if (type is IArrayTypeSymbol array)
        {
            return IsStrategy(array.ElementType, contract) ? InnerStrategyHolding.Elements : InnerStrategyHolding.None;
        }

        // The type itself when it is IEnumerable<T>, else the IEnumerable<T> it implements (a dictionary implements one).
        if (type is INamedTypeSymbol named && ElementsHeld(named, contract) is var own and not InnerStrategyHolding.None)
        {
            return own;
        }

        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (ElementsHeld(implemented, contract) is var held and not InnerStrategyHolding.None)
            {
                return held;
            }
        }

        return InnerStrategyHolding.None;
    }

    /// <summary>
    /// The members through which a value of <paramref name="type"/> holds strategies when it is a helper object of the
    /// user's own (a class, struct or record declared in source, neither a strategy nor a collection of them): its
    /// instance fields and auto-properties that <see cref="HowHeld"/> says hold strategies (<c>State.Fallback</c>,
    /// <c>State.Classes</c>), each an <see cref="IFieldSymbol"/> (an auto-property's backing field). One level: a helper
    /// inside a helper is not followed. A member whose type is <paramref name="holder"/> is the helper's reference back to
    /// its holder, not a strategy it holds, and is left out. Empty for any other type.
    /// </summary>
    public static ImmutableArray<IFieldSymbol> HelperMembers(ITypeSymbol type, INamedTypeSymbol holder, INamedTypeSymbol contract)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named
            || named.DeclaringSyntaxReferences.IsEmpty
            || HowHeld(named, contract) != InnerStrategyHolding.None)
        {
            return ImmutableArray<IFieldSymbol>.Empty;
        }

        ImmutableArray<IFieldSymbol>.Builder? members = null;
        foreach (ISymbol member in named.GetMembers())
        {
            if (member is IFieldSymbol field
                && AutoProperties.IsDeclaredInstanceStorage(field)
                && !SymbolEqualityComparer.Default.Equals(field.Type.OriginalDefinition, holder.OriginalDefinition)
                && HowHeld(field.Type, contract) != InnerStrategyHolding.None)
            {
                (members ??= ImmutableArray.CreateBuilder<IFieldSymbol>()).Add(field);
            }
        }

        return members?.ToImmutable() ?? ImmutableArray<IFieldSymbol>.Empty;
    }

    /// <summary>How the elements of <paramref name="candidate"/> hold strategies, when it is an <c>IEnumerable&lt;T&gt;</c>.</summary>
    private static InnerStrategyHolding ElementsHeld(INamedTypeSymbol candidate, INamedTypeSymbol contract)
    {
        if (candidate.OriginalDefinition.SpecialType != SpecialType.System_Collections_Generic_IEnumerable_T)
        {
            return InnerStrategyHolding.None;
        }

        ITypeSymbol element = candidate.TypeArguments[0];
        if (IsStrategy(element, contract))
        {
            return InnerStrategyHolding.Elements;
        }

        return element is INamedTypeSymbol { Name: "KeyValuePair", TypeArguments.Length: 2 } pair
            && pair.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
            && IsStrategy(pair.TypeArguments[1], contract)
            ? InnerStrategyHolding.Values
            : InnerStrategyHolding.None;
    }

    /// <summary>Whether <paramref name="type"/> is the contract or implements it.</summary>
    private static bool IsStrategy(ITypeSymbol type, INamedTypeSymbol contract) =>
        SymbolEqualityComparer.Default.Equals(type, contract)
        || type.AllInterfaces.Contains(contract, SymbolEqualityComparer.Default);
}
