using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The edges a <see cref="ControlFlowGraph"/> leaves implicit around exception handling, for the dataflow rules.
/// A branch that leaves a <c>try</c> with a <c>finally</c> lists the finally regions it runs
/// (<see cref="ControlFlowBranch.FinallyRegions"/>): the state goes into the first, each finally's end goes on to
/// the next or to the branch's destination (the continuations of one finally are merged: a must-fact survives only
/// if it holds on every path through it). A <c>catch</c> (or filter) starts from the state of any block of its
/// <c>try</c>.
/// </summary>
internal sealed class ExceptionFlow
{
    private readonly Dictionary<ControlFlowRegion, HashSet<int>> _continuations = new();

    /// <summary>The first blocks of the catch and filter regions that handle an exception thrown in <paramref name="block"/>.</summary>
    public IEnumerable<int> HandlersOf(BasicBlock block)
    {
        for (ControlFlowRegion? region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
            {
                continue;
            }

            foreach (ControlFlowRegion handler in tryAndCatch.NestedRegions)
            {
                if (handler.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler)
                {
                    yield return handler.FirstBlockOrdinal;
                }
            }
        }
    }

    /// <summary>
    /// Where <paramref name="branch"/> really goes: its destination, or the first finally it runs, or (from a
    /// finally's end) every continuation recorded for that finally. <paramref name="reopen"/> is told of a finally
    /// end whose continuations grew, so its state is sent on again.
    /// </summary>
    public IEnumerable<int> Targets(BasicBlock block, ControlFlowBranch branch, Action<int> reopen)
    {
        if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
        {
            return EnclosingFinally(block) is { } finallyRegion && _continuations.TryGetValue(finallyRegion, out HashSet<int>? next)
                ? next
                : Array.Empty<int>();
        }

        if (branch.FinallyRegions.IsEmpty)
        {
            return branch.Destination is { } destination ? new[] { destination.Ordinal } : Array.Empty<int>();
        }

        for (int i = 0; i < branch.FinallyRegions.Length; i++)
        {
            int? after = i + 1 < branch.FinallyRegions.Length ? branch.FinallyRegions[i + 1].FirstBlockOrdinal : branch.Destination?.Ordinal;
            if (after is not { } continuation)
            {
                continue;
            }

            ControlFlowRegion region = branch.FinallyRegions[i];
            if (!_continuations.TryGetValue(region, out HashSet<int>? set))
            {
                set = new HashSet<int>();
                _continuations.Add(region, set);
            }

            if (set.Add(continuation))
            {
                reopen(region.LastBlockOrdinal);
            }
        }

        return new[] { branch.FinallyRegions[0].FirstBlockOrdinal };
    }

    private static ControlFlowRegion? EnclosingFinally(BasicBlock block)
    {
        for (ControlFlowRegion? region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Finally)
            {
                return region;
            }
        }

        return null;
    }
}
