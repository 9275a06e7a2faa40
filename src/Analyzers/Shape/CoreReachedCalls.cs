using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What MEM1011 and MEM1012 share: the calls of one kind a strategy's cores make, directly or through the class's own
/// methods they call (at any depth, lambdas and local functions counting as their method), each reported once the type
/// is done with the core that reaches it.
/// </summary>
internal static class CoreReachedCalls
{
    /// <summary>Sorts one call: whether it is of the kind looked for, and what its message needs.</summary>
    public delegate bool Classify<TEntry>(IInvocationOperation invocation, out TEntry entry);

    /// <summary>Reports one call of the kind, with the core that reaches it.</summary>
    public delegate void Report<TEntry>(SymbolAnalysisContext end, IMethodSymbol core, IInvocationOperation call, TEntry entry);

    /// <summary>Registers, for the strategy <paramref name="context"/> starts on, the collection and the end-of-type report.</summary>
    public static void Register<TEntry>(SymbolStartAnalysisContext context, KnownSymbols known, Classify<TEntry> classify, Report<TEntry> report)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        OwnCallGraph graph = OwnCallGraph.Register(context);
        var calls = new ConcurrentBag<(IMethodSymbol Method, IInvocationOperation Call, TEntry Entry)>();
        context.RegisterOperationAction(
            operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                if (classify(invocation, out TEntry entry) && OwnCallGraph.MethodOf(operation.ContainingSymbol) is { } caller)
                {
                    calls.Add((caller, invocation, entry));
                }
            },
            OperationKind.Invocation);
        context.RegisterSymbolEndAction(end =>
        {
            if (calls.IsEmpty)
            {
                return;
            }

            // Every method of the type a core reaches, with the core that reaches it (the first found); the calls in
            // source order, so that the diagnostics come out in the same order in every build.
            Dictionary<IMethodSymbol, IMethodSymbol> reachedFrom = graph.Reach(type.GetMembers().OfType<IMethodSymbol>().Where(method => IsCore(method, known)));
            foreach ((IMethodSymbol method, IInvocationOperation call, TEntry entry) in calls.OrderBy(c => c.Call.Syntax.SpanStart))
            {
                if (reachedFrom.TryGetValue(method, out IMethodSymbol? core))
                {
                    report(end, core, call, entry);
                }
            }
        });
    }

    /// <summary>Whether <paramref name="method"/> carries <c>[Allocate]</c>, <c>[Deallocate]</c>, <c>[Owns]</c> or a slow half's marker.</summary>
    private static bool IsCore(IMethodSymbol method, KnownSymbols known) =>
        method.GetAttributes().Any(attribute => known.GetMarker(attribute.AttributeClass)
            is MarkerKind.Allocate or MarkerKind.Deallocate or MarkerKind.Owns or MarkerKind.AllocateSlow or MarkerKind.DeallocateSlow);
}
