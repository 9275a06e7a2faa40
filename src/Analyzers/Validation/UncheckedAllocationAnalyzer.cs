using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3005: a pointer returned by <c>Allocate</c> is dereferenced or passed on without a null check on every path.
/// <c>Allocate</c> returns null for a refused size, a faulted or disposed strategy, and exhaustion; the seed checks
/// <c>if (!ptr)</c> after every call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncheckedAllocationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UncheckedAllocation);

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

            var facts = new UncheckedAllocationFacts(symbols);
            start.RegisterOperationBlockAction(block => ControlFlowBodies.ForEach(
                block,
                operation => StrategyCalls.IsAllocate(operation, symbols),
                includeNested: true,
                graph => FlowAnalysis.Run(graph, facts, block.ReportDiagnostic)));
        });
    }
}
