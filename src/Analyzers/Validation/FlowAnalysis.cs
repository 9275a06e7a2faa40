using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Runs a <see cref="FlowFacts"/> problem to its fixed point over a <see cref="ControlFlowGraph"/> (a worklist over
/// basic blocks, conditions applied per edge), then walks every reached block once more to report. Exception
/// handling is followed (<see cref="ExceptionFlow"/>): a branch that leaves a <c>try</c> runs its <c>finally</c>
/// first and goes on from the finally's end, and a <c>catch</c> starts from any state its <c>try</c> was in.
/// </summary>
internal static class FlowAnalysis
{
    public static void Run(ControlFlowGraph graph, FlowFacts facts, Action<Diagnostic> report)
    {
        ImmutableHashSet<object>?[] entry = Solve(graph, facts);
        var reported = new HashSet<(string, Location)>();
        foreach (BasicBlock block in graph.Blocks)
        {
            if (entry[block.Ordinal] is { } state)
            {
                Walk(block, state, facts, diagnostic =>
                {
                    if (reported.Add((diagnostic.Id, diagnostic.Location)))
                    {
                        report(diagnostic);
                    }
                });
            }
        }
    }

    /// <summary>Every control-flow graph of a body: its own, and those of its lambdas and local functions.</summary>
    public static IEnumerable<ControlFlowGraph> WithNestedGraphs(ControlFlowGraph root)
    {
        var pending = new Stack<ControlFlowGraph>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            ControlFlowGraph graph = pending.Pop();
            yield return graph;
            foreach (IMethodSymbol localFunction in graph.LocalFunctions)
            {
                pending.Push(graph.GetLocalFunctionControlFlowGraph(localFunction));
            }

            foreach (BasicBlock block in graph.Blocks)
            {
                foreach (IOperation operation in Operations(block))
                {
                    foreach (IOperation node in operation.DescendantsAndSelf())
                    {
                        if (node is IFlowAnonymousFunctionOperation function)
                        {
                            pending.Push(graph.GetAnonymousFunctionControlFlowGraph(function));
                        }
                    }
                }
            }
        }
    }

    private static ImmutableHashSet<object>?[] Solve(ControlFlowGraph graph, FlowFacts facts)
    {
        var entry = new ImmutableHashSet<object>?[graph.Blocks.Length];
        var exceptions = new ExceptionFlow();
        entry[0] = facts.Initial;
        var pending = new Queue<BasicBlock>();
        pending.Enqueue(graph.Blocks[0]);

        void Merge(int destination, ImmutableHashSet<object> outgoing)
        {
            ImmutableHashSet<object>? previous = entry[destination];
            ImmutableHashSet<object> merged = previous is null
                ? outgoing
                : facts.MustHoldOnEveryPath ? previous.Intersect(outgoing) : previous.Union(outgoing);
            if (previous is null || !previous.SetEquals(merged))
            {
                entry[destination] = merged;
                pending.Enqueue(graph.Blocks[destination]);
            }
        }

        while (pending.Count > 0)
        {
            BasicBlock block = pending.Dequeue();
            ImmutableHashSet<object> before = entry[block.Ordinal]!;
            ImmutableHashSet<object> state = Walk(block, before, facts, report: null);
            foreach (int handler in exceptions.HandlersOf(block))
            {
                // An exception can leave the try before or after this block's operations.
                Merge(handler, before);
                Merge(handler, state);
            }

            foreach ((ControlFlowBranch? branch, ImmutableHashSet<object> outgoing) in Successors(block, state, facts))
            {
                if (branch is null)
                {
                    continue;
                }

                foreach (int destination in exceptions.Targets(block, branch, reopened => { if (entry[reopened] is not null) pending.Enqueue(graph.Blocks[reopened]); }))
                {
                    Merge(destination, outgoing);
                }
            }
        }

        return entry;
    }

    private static ImmutableHashSet<object> Walk(BasicBlock block, ImmutableHashSet<object> state, FlowFacts facts, Action<Diagnostic>? report)
    {
        foreach (IOperation operation in Operations(block))
        {
            foreach (IOperation node in operation.DescendantsAndSelf())
            {
                state = facts.Transfer(node, state, report);
            }
        }

        return state;
    }

    private static IEnumerable<(ControlFlowBranch?, ImmutableHashSet<object>)> Successors(BasicBlock block, ImmutableHashSet<object> state, FlowFacts facts)
    {
        if (block.ConditionKind == ControlFlowConditionKind.None || block.BranchValue is null)
        {
            yield return (block.FallThroughSuccessor, state);
            yield break;
        }

        // The conditional successor is taken when the branch value equals the condition kind; fall-through otherwise.
        bool conditionalValue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
        yield return (block.ConditionalSuccessor, facts.Assume(block.BranchValue, conditionalValue, state));
        yield return (block.FallThroughSuccessor, facts.Assume(block.BranchValue, !conditionalValue, state));
    }

    private static IEnumerable<IOperation> Operations(BasicBlock block)
    {
        foreach (IOperation operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is not null)
        {
            yield return block.BranchValue;
        }
    }
}
