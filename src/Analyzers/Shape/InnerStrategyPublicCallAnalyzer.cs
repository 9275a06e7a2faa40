using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1011 (a suggestion): a strategy's <c>[Allocate]</c> or <c>[Deallocate]</c> core calls the public
/// <c>Allocate</c> or <c>Deallocate</c> of another generated strategy it holds. The inner call then pays the whole
/// generated entry again (thread-local lookup, in-call mark, status gate, size check, statistics) for a request the
/// holder has already admitted; every generated strategy also has <c>AllocateNested</c>/<c>DeallocateNested</c>, which
/// take the inner strategy's <c>StrategyThread</c> and skip all of it. Calls through <c>IMemoryStrategy</c> (a
/// fallback of any type) are not reported: the nested entries are members of the generated class, not of the
/// interface.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InnerStrategyPublicCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InnerStrategyCalledThroughPublicEntry);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<KnownSymbols>(context, CreateSymbols, Register);
    }

    private static KnownSymbols? CreateSymbols(Compilation compilation) =>
        new KnownSymbols(compilation) is { MemoryStrategyAttribute: not null, Allocate: not null, Deallocate: not null } known ? known : null;

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols) =>
        start.RegisterOperationAction(operationContext => Analyze(operationContext, symbols), OperationKind.Invocation);

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol target = invocation.TargetMethod;
        string? nested = target switch
        {
            { Name: "Allocate", Parameters.Length: 1 } => "AllocateNested",
            { Name: "Deallocate", Parameters.Length: 1 } => "DeallocateNested",
            _ => null,
        };

        // A generated strategy's own public entry, called on another instance from inside a core.
        if (nested is null
            || target.IsStatic
            || target.ContainingType is not { TypeKind: TypeKind.Class } inner
            || !known.IsStrategy(inner)
            || invocation.Instance is null or IInstanceReferenceOperation
            || CoreOf(context.ContainingSymbol, known) is not { } core)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.InnerStrategyCalledThroughPublicEntry,
            invocation.Syntax.GetLocation(),
            core.Name,
            inner.Name,
            target.Name,
            nested));
    }

    /// <summary>The <c>[Allocate]</c> or <c>[Deallocate]</c> method of a strategy that <paramref name="symbol"/> is, or lies in (a lambda or local function in it).</summary>
    private static IMethodSymbol? CoreOf(ISymbol? symbol, KnownSymbols known)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        if (symbol is not IMethodSymbol { ContainingType: { } type } method || !known.IsStrategy(type))
        {
            return null;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (known.GetMarker(attribute.AttributeClass) is MarkerKind.Allocate or MarkerKind.Deallocate)
            {
                return method;
            }
        }

        return null;
    }
}
