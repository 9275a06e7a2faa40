using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3001: a call to (or a delegate made from) a strategy's <c>[Allocate]</c> or <c>[Deallocate]</c> core, or either slow half. Only the
/// generated wrappers may call a core: they validate the request, keep the status and the statistics, and refuse
/// foreign pointers. Generated code is not analyzed, so the wrappers' own calls are never reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CoreMethodCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.CoreMethodCalledDirectly);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<KnownSymbols>(context, CreateSymbols, Register);
    }

    private static KnownSymbols? CreateSymbols(Compilation compilation) =>
        new KnownSymbols(compilation) is { Allocate: not null, Deallocate: not null } known ? known : null;

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols) =>
        start.RegisterOperationAction(
            operationContext => Analyze(operationContext, symbols),
            OperationKind.Invocation,
            OperationKind.MethodReference);

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known)
    {
        IMethodSymbol? target = context.Operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IMethodReferenceOperation reference when !reference.IsInsideNameOf() => reference.Method,
            _ => null,
        };

        if (target?.OriginalDefinition is not { ContainingType: { } type } method || !known.IsStrategy(type))
        {
            return;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (known.GetMarker(attribute.AttributeClass) is MarkerKind kind and (MarkerKind.Allocate or MarkerKind.Deallocate or MarkerKind.AllocateSlow or MarkerKind.DeallocateSlow))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.CoreMethodCalledDirectly,
                    context.Operation.Syntax.GetLocation(),
                    method.Name,
                    MarkerSignatures.AttributeName(kind),
                    type.Name));
                return;
            }
        }
    }
}
