using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1001-MEM1006 and MEM1008: reports each <see cref="ShapeProblem"/> of a <c>[MemoryStrategy]</c> class. The problems come
/// from <see cref="StrategyShape.Read"/>, the same call the generator uses to decide what to generate, so every
/// strategy the generator skips has at least one of these errors, and no generated strategy has one. One MEM1008 is
/// the compilation's, not a class's: two strategies exported under one prefix (<see cref="NativeExportPrefixes"/>);
/// both are generated, and the error stops the build before the native library would fail to link.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StrategyShapeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.MissingRequiredMarker,
        DiagnosticDescriptors.WrongMarkerSignature,
        DiagnosticDescriptors.DuplicateMarker,
        DiagnosticDescriptors.UnsupportedStrategyType,
        DiagnosticDescriptors.ConflictingGeneratedMember,
        DiagnosticDescriptors.InvalidNativeExport);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<KnownSymbols>(context, CreateSymbols, Register);
    }

    private static KnownSymbols? CreateSymbols(Compilation compilation) =>
        new KnownSymbols(compilation) is { MemoryStrategyAttribute: not null } known ? known : null;

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols)
    {
        var prefixes = new NativeExportPrefixes();
        start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, symbols, prefixes), SymbolKind.NamedType);

        // Two strategies that share an export prefix are each fine alone: the pair is known once every type was seen.
        start.RegisterCompilationEndAction(prefixes.ReportDuplicates);
    }

    /// <remarks>
    /// A problem is reported while analyzing the type it points at, so every diagnostic is local to its symbol (IDE
    /// fixes and Fix All depend on that): a containing type that is not partial is reported from the containing
    /// type, by reading the shape of each strategy nested in it.
    /// </remarks>
    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known, NativeExportPrefixes prefixes)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (known.IsStrategy(type))
        {
            if (NativeExportRules.ReadPrefix(type, known) is string prefix && NativeExportRules.IsCIdentifier(prefix))
            {
                prefixes.Add(prefix, type);
            }

            foreach (ShapeProblem problem in StrategyShape.Read(type, known, context.CancellationToken).Problems)
            {
                if (problem.Kind != ShapeProblemKind.NotPartial || SymbolEqualityComparer.Default.Equals(problem.Symbol, type))
                {
                    context.ReportDiagnostic(ToDiagnostic(problem, type));
                }
            }
        }

        foreach (INamedTypeSymbol nested in NestedStrategies(type, known))
        {
            foreach (ShapeProblem problem in StrategyShape.Read(nested, known, context.CancellationToken).Problems)
            {
                if (problem.Kind == ShapeProblemKind.NotPartial && SymbolEqualityComparer.Default.Equals(problem.Symbol, type))
                {
                    context.ReportDiagnostic(ToDiagnostic(problem, nested));
                    return; // once, however many strategies it contains
                }
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> NestedStrategies(INamedTypeSymbol type, KnownSymbols known)
    {
        foreach (INamedTypeSymbol nested in type.GetTypeMembers())
        {
            if (known.IsStrategy(nested))
            {
                yield return nested;
            }

            foreach (INamedTypeSymbol deeper in NestedStrategies(nested, known))
            {
                yield return deeper;
            }
        }
    }

    private static Diagnostic ToDiagnostic(ShapeProblem problem, INamedTypeSymbol strategy)
    {
        Location location = FirstLocation(problem.Symbol);
        return problem.Kind switch
        {
            ShapeProblemKind.NotPartial => Diagnostic.Create(DiagnosticDescriptors.NotPartial, location, problem.Detail),
            ShapeProblemKind.MissingRequiredMarker => Diagnostic.Create(DiagnosticDescriptors.MissingRequiredMarker, location, strategy.Name, problem.Detail),
            ShapeProblemKind.WrongSignature => Diagnostic.Create(
                DiagnosticDescriptors.WrongMarkerSignature, location, MarkerName(problem), problem.Symbol.Name, problem.Detail),
            ShapeProblemKind.DuplicateMarker => Diagnostic.Create(DiagnosticDescriptors.DuplicateMarker, location, problem.Detail, problem.Symbol.Name),
            ShapeProblemKind.UnsupportedType => Diagnostic.Create(DiagnosticDescriptors.UnsupportedStrategyType, location, strategy.Name, problem.Detail),
            ShapeProblemKind.NativeExport => Diagnostic.Create(DiagnosticDescriptors.InvalidNativeExport, location, strategy.Name, problem.Detail),
            _ => Diagnostic.Create(DiagnosticDescriptors.ConflictingGeneratedMember, location, problem.Detail),
        };
    }

    private static string MarkerName(ShapeProblem problem) =>
        problem.Marker is MarkerKind kind ? MarkerSignatures.AttributeName(kind) : string.Empty;

    private static Location FirstLocation(ISymbol symbol)
    {
        foreach (Location location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return location;
            }
        }

        return Location.None;
    }
}
