using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1007: a marker (<c>[Allocate]</c>, <c>[Deallocate]</c>, <c>[Owns]</c>, <c>[Validate]</c>, <c>[Cleanup]</c>) on a
/// method of a type without <c>[MemoryStrategy]</c>. The generator only reads marked classes, so the marker does
/// nothing; usually the class attribute was forgotten.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MarkerOutsideStrategyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.MarkerOutsideStrategy);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<KnownSymbols>(context, CreateSymbols, Register);
    }

    private static KnownSymbols? CreateSymbols(Compilation compilation) =>
        new KnownSymbols(compilation) is { Allocate: not null } known ? known : null;

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols) =>
        start.RegisterSymbolAction(symbolContext => AnalyzeMethod(symbolContext, symbols), SymbolKind.Method);

    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownSymbols known)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.ContainingType is not { } type || known.IsStrategy(type))
        {
            return;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (known.GetMarker(attribute.AttributeClass) is MarkerKind kind
                && attribute.ApplicationSyntaxReference is { } reference)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.MarkerOutsideStrategy,
                    Location.Create(reference.SyntaxTree, reference.Span),
                    MarkerSignatures.AttributeName(kind),
                    method.Name,
                    type.Name));
            }
        }
    }
}
