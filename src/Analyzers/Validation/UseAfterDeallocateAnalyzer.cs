using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3006: a pointer is used, or deallocated again, after it was passed to <c>Deallocate</c> on every path of the
/// same method. The block may already belong to another thread.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAfterDeallocateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UseAfterDeallocate);

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

            var facts = new UseAfterDeallocateFacts(symbols);
            start.RegisterOperationBlockAction(block => ControlFlowBodies.ForEach(
                block,
                operation => StrategyCalls.IsDeallocate(operation, symbols),
                includeNested: true,
                graph => FlowAnalysis.Run(graph, facts, block.ReportDiagnostic)));
        });
    }
}
