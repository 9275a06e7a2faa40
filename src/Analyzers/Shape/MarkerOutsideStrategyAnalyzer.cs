using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1007: a marker (<c>[Allocate]</c>, <c>[Deallocate]</c>, <c>[Owns]</c>, <c>[Validate]</c>, <c>[Cleanup]</c>) on a
/// method of a type without <c>[MemoryStrategy]</c>, or on a local function or a lambda (in a strategy or not). The
/// generator only reads the methods of marked classes, so the marker does nothing: usually the class attribute was
/// forgotten, or a core was written inside another method. In a strategy the second case was reported only as a missing
/// marker (MEM1002), which the user, looking at the marker, could not make sense of.
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

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols)
    {
        start.RegisterSymbolAction(symbolContext => AnalyzeMethod(symbolContext, symbols), SymbolKind.Method);

        // Local functions and lambdas are not symbols of the type: symbol actions never see them.
        start.RegisterOperationAction(
            operationContext => AnalyzeInnerFunction(operationContext, symbols),
            OperationKind.LocalFunction,
            OperationKind.AnonymousFunction);
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownSymbols known)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (method.ContainingType is not { } type || known.IsStrategy(type))
        {
            return;
        }

        Report(context.ReportDiagnostic, method, known, $"'{type.Name}' is not marked [MemoryStrategy]");
    }

    private static void AnalyzeInnerFunction(OperationAnalysisContext context, KnownSymbols known)
    {
        IMethodSymbol? function = context.Operation switch
        {
            ILocalFunctionOperation local => local.Symbol,
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            _ => null,
        };
        if (function is not null)
        {
            Report(
                context.ReportDiagnostic,
                function,
                known,
                function.MethodKind == MethodKind.LocalFunction
                    ? "the generator reads only methods of a [MemoryStrategy] class, not local functions"
                    : "the generator reads only methods of a [MemoryStrategy] class, not lambdas");
        }
    }

    private static void Report(System.Action<Diagnostic> report, IMethodSymbol method, KnownSymbols known, string why)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (known.GetMarker(attribute.AttributeClass) is MarkerKind kind
                && attribute.ApplicationSyntaxReference is { } reference)
            {
                report(Diagnostic.Create(
                    DiagnosticDescriptors.MarkerOutsideStrategy,
                    Location.Create(reference.SyntaxTree, reference.Span),
                    MarkerSignatures.AttributeName(kind),
                    method.MethodKind == MethodKind.AnonymousFunction ? "lambda" : method.Name,
                    why));
            }
        }
    }
}
