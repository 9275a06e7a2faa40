using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>Hands an analyzer the control-flow graphs of the bodies in an operation block that are worth the cost.</summary>
internal static class ControlFlowBodies
{
    /// <summary>
    /// Calls <paramref name="analyze"/> with the graph of each executable body in the block that contains an
    /// operation <paramref name="isRelevant"/> accepts (building a graph costs more than looking for one call),
    /// and, when <paramref name="includeNested"/>, with the graphs of its lambdas and local functions.
    /// </summary>
    public static void ForEach(OperationBlockAnalysisContext context, Func<IOperation, bool> isRelevant, bool includeNested, Action<ControlFlowGraph> analyze)
    {
        foreach (IOperation block in context.OperationBlocks)
        {
            if (!HasGraph(block) || !ContainsRelevant(block, isRelevant))
            {
                continue;
            }

            ControlFlowGraph graph = context.GetControlFlowGraph(block);
            if (!includeNested)
            {
                analyze(graph);
                continue;
            }

            foreach (ControlFlowGraph nested in FlowAnalysis.WithNestedGraphs(graph))
            {
                analyze(nested);
            }
        }
    }

    // The analyzer driver hands method bodies over as their block (whose parent is the IMethodBodyOperation).
    private static bool HasGraph(IOperation block) =>
        block is IBlockOperation or IMethodBodyOperation or IConstructorBodyOperation or IFieldInitializerOperation or IPropertyInitializerOperation;

    private static bool ContainsRelevant(IOperation block, Func<IOperation, bool> isRelevant)
    {
        foreach (IOperation operation in block.DescendantsAndSelf())
        {
            if (isRelevant(operation))
            {
                return true;
            }
        }

        return false;
    }
}
