using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3004: the answer of <c>Validate()</c> or of a <c>StrategyValidator</c> method is thrown away (the call is a
/// statement of its own). Validation only protects code that acts on its answer. An explicit discard
/// (<c>_ = strategy.Validate();</c>) says the caller wants the side effect only, and is not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DiscardedValidationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ValidationResultDiscarded);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<StrategySymbols>(context, CreateSymbols, Register);
    }

    private static StrategySymbols? CreateSymbols(Compilation compilation) => StrategySymbols.TryCreate(compilation);

    private static void Register(CompilationStartAnalysisContext start, StrategySymbols symbols) =>
        start.RegisterOperationAction(operationContext => Analyze(operationContext, symbols), OperationKind.Invocation);

    private static void Analyze(OperationAnalysisContext context, StrategySymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (method.ReturnType.SpecialType != SpecialType.System_Boolean || !IsValidation(method, symbols) || !IsDiscarded(invocation))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ValidationResultDiscarded,
            invocation.Syntax.GetLocation(),
            method.ContainingType.Name + "." + method.Name));
    }

    private static bool IsValidation(IMethodSymbol method, StrategySymbols symbols) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.StrategyValidator)
        || StrategySymbols.Is(method, symbols.Validate);

    private static bool IsDiscarded(IOperation operation)
    {
        // strategy?.Validate(); wraps the call in a conditional access whose value is discarded in turn.
        IOperation? parent = operation.Parent;
        while (parent is IConditionalAccessOperation)
        {
            parent = parent.Parent;
        }

        return parent is IExpressionStatementOperation;
    }
}
