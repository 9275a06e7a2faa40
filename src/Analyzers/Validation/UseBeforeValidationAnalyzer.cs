using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3003 (info): a strategy taken from a parameter, a field or a call allocates or deallocates before a successful
/// <c>Validate()</c> or <c>StrategyValidator</c> check on every path through the method: the seed's "always
/// validate before use". Lambdas are not analyzed: what their captured strategy went through is not visible.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseBeforeValidationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UseBeforeValidation);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (StrategySymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            var facts = new UseBeforeValidationFacts(symbols);
            start.RegisterOperationBlockAction(block => ControlFlowBodies.ForEach(
                block,
                operation => StrategyCalls.IsAllocate(operation, symbols) || StrategyCalls.IsDeallocate(operation, symbols),
                includeNested: false,
                graph => FlowAnalysis.Run(graph, facts, block.ReportDiagnostic)));
        });
    }
}
