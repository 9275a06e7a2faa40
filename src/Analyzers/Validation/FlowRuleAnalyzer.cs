using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The shape the control-flow rules (MEM3003, MEM3005, MEM3006) share: resolve the contract's symbols once per
/// compilation, then run one <see cref="FlowFacts"/> problem over each body that contains a call it cares about.
/// </summary>
public abstract class FlowRuleAnalyzer : DiagnosticAnalyzer
{
    private protected FlowRuleAnalyzer(DiagnosticDescriptor descriptor, bool includeNestedFunctions)
    {
        SupportedDiagnostics = ImmutableArray.Create(descriptor);
        IncludeNestedFunctions = includeNestedFunctions;
    }

    /// <inheritdoc/>
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    private bool IncludeNestedFunctions { get; }

    /// <inheritdoc/>
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<StrategySymbols>(context, CreateSymbols, Register);
    }

    private static StrategySymbols? CreateSymbols(Compilation compilation) => StrategySymbols.TryCreate(compilation);

    private void Register(CompilationStartAnalysisContext start, StrategySymbols symbols)
    {
        FlowFacts facts = CreateFacts(symbols);
        Func<IOperation, bool> isRelevant = operation => IsRelevant(operation, symbols);
        start.RegisterOperationBlockAction(block => ControlFlowBodies.ForEach(
            block,
            isRelevant,
            IncludeNestedFunctions,
            graph => FlowAnalysis.Run(graph, ForBody(facts, graph, block.OwningSymbol, symbols), block.ReportDiagnostic)));
    }

    /// <summary>The dataflow problem this rule solves (stateless: one instance serves every body of the compilation).</summary>
    private protected abstract FlowFacts CreateFacts(StrategySymbols symbols);

    /// <summary>
    /// The problem to solve over one body: <paramref name="facts"/> itself, or one that also knows something about
    /// that body (what its locals hold). <paramref name="graph"/>'s <c>OriginalOperation</c> is the body as written.
    /// </summary>
    private protected virtual FlowFacts ForBody(FlowFacts facts, ControlFlowGraph graph, ISymbol owningSymbol, StrategySymbols symbols) => facts;

    /// <summary>Whether a body containing <paramref name="operation"/> is worth a control-flow graph.</summary>
    private protected abstract bool IsRelevant(IOperation operation, StrategySymbols symbols);
}
