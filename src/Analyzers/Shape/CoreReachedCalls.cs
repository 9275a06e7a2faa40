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
/// is done with the core that reaches it. Optionally also through the methods of helper objects those reach: types
/// declared in the compilation that are not strategies (a router or state object of the user's own), followed into
/// each method's body and the helper methods it calls in turn, at any depth.
/// </summary>
internal static class CoreReachedCalls
{
    /// <summary>Sorts one call: whether it is of the kind looked for, and what its message needs.</summary>
    public delegate bool Classify<TEntry>(IInvocationOperation invocation, out TEntry entry);

    /// <summary>Reports one call of the kind, with the core that reaches it.</summary>
    public delegate void Report<TEntry>(SymbolAnalysisContext end, IMethodSymbol core, IInvocationOperation call, TEntry entry);

    /// <summary>The most helper methods one strategy's search reads (a bound for very large helper graphs).</summary>
    private const int MaxHelperMethods = 128;

    /// <summary>
    /// Registers, for the strategy <paramref name="context"/> starts on, the collection and the end-of-type report;
    /// with <paramref name="followHelpers"/>, the search goes on into helper objects' methods too (see the class), where
    /// a call on a receiver typed as the strategy itself is left out (a helper's reference back to its holder).
    /// </summary>
    public static void Register<TEntry>(
        SymbolStartAnalysisContext context, KnownSymbols known, Classify<TEntry> classify, Report<TEntry> report, bool followHelpers = false)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        OwnCallGraph graph = OwnCallGraph.Register(context);
        var calls = new ConcurrentBag<(IMethodSymbol Method, IInvocationOperation Call, TEntry Entry)>();
        var helperCalls = new ConcurrentBag<(IMethodSymbol Method, IMethodSymbol Helper)>();
        Compilation compilation = context.Compilation;
        context.RegisterOperationAction(
            operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                if (OwnCallGraph.MethodOf(operation.ContainingSymbol) is not { } caller)
                {
                    return;
                }

                if (classify(invocation, out TEntry entry))
                {
                    calls.Add((caller, invocation, entry));
                }
                else if (followHelpers && HelperMethod(invocation.TargetMethod, type, compilation, known) is { } helper)
                {
                    helperCalls.Add((caller, helper));
                }
            },
            OperationKind.Invocation);
        if (followHelpers)
        {
            // A helper's property read or written from the class's own code runs its accessor.
            context.RegisterOperationAction(
                operation =>
                {
                    if (OwnCallGraph.MethodOf(operation.ContainingSymbol) is { } caller)
                    {
                        foreach (IMethodSymbol helper in HelperAccessors((IPropertyReferenceOperation)operation.Operation, type, compilation, known))
                        {
                            helperCalls.Add((caller, helper));
                        }
                    }
                },
                OperationKind.PropertyReference);
        }

        context.RegisterSymbolEndAction(end =>
        {
            if (calls.IsEmpty && helperCalls.IsEmpty)
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

            if (!helperCalls.IsEmpty)
            {
                ReportThroughHelpers(end, type, known, classify, report, reachedFrom, helperCalls);
            }
        });
    }

    /// <summary>
    /// The calls of the kind in the helper methods the cores reach (through the class's own methods or directly), each
    /// helper method read once, reported with the first core that reaches it.
    /// </summary>
    private static void ReportThroughHelpers<TEntry>(
        SymbolAnalysisContext end,
        INamedTypeSymbol type,
        KnownSymbols known,
        Classify<TEntry> classify,
        Report<TEntry> report,
        Dictionary<IMethodSymbol, IMethodSymbol> reachedFrom,
        IEnumerable<(IMethodSymbol Method, IMethodSymbol Helper)> helperCalls)
    {
        var bodies = new SourceBodies(end.Compilation);
        var coreOf = new Dictionary<IMethodSymbol, IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Queue<IMethodSymbol>();
        foreach ((IMethodSymbol method, IMethodSymbol helper) in helperCalls.OrderBy(c => c.Helper.Name, System.StringComparer.Ordinal))
        {
            if (reachedFrom.TryGetValue(method, out IMethodSymbol? core) && !coreOf.ContainsKey(helper))
            {
                coreOf[helper] = core;
                pending.Enqueue(helper);
            }
        }

        var found = new List<(IMethodSymbol Core, IInvocationOperation Call, TEntry Entry)>();
        while (pending.Count != 0 && coreOf.Count <= MaxHelperMethods)
        {
            IMethodSymbol helper = pending.Dequeue();
            foreach (IOperation body in bodies.Of(helper, includeGenerated: false, end.CancellationToken))
            {
                foreach (IOperation operation in body.DescendantsAndSelf())
                {
                    IEnumerable<IMethodSymbol> next = System.Linq.Enumerable.Empty<IMethodSymbol>();
                    if (operation is IInvocationOperation invocation)
                    {
                        if (classify(invocation, out TEntry entry))
                        {
                            // A call on the holder itself (a back-reference typed as the strategy) is not an inner strategy's.
                            if (!SymbolEqualityComparer.Default.Equals(invocation.Instance?.WithoutConversions().Type, type))
                            {
                                found.Add((coreOf[helper], invocation, entry));
                            }

                            continue;
                        }

                        next = HelperMethod(invocation.TargetMethod, type, end.Compilation, known) is { } method ? new[] { method } : next;
                    }
                    else if (operation is IPropertyReferenceOperation property)
                    {
                        next = HelperAccessors(property, type, end.Compilation, known);
                    }

                    foreach (IMethodSymbol method in next)
                    {
                        if (!coreOf.ContainsKey(method))
                        {
                            coreOf[method] = coreOf[helper];
                            pending.Enqueue(method);
                        }
                    }
                }
            }
        }

        foreach ((IMethodSymbol core, IInvocationOperation call, TEntry entry) in found
            .OrderBy(f => f.Call.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(f => f.Call.Syntax.SpanStart))
        {
            report(end, core, call, entry);
        }
    }

    /// <summary>The accessors of a helper's property that <paramref name="reference"/> may run (see <see cref="HelperMethod"/>).</summary>
    private static IEnumerable<IMethodSymbol> HelperAccessors(
        IPropertyReferenceOperation reference, INamedTypeSymbol type, Compilation compilation, KnownSymbols known)
    {
        foreach (IMethodSymbol? accessor in new[] { reference.Property.GetMethod, reference.Property.SetMethod })
        {
            if (accessor is not null && HelperMethod(accessor, type, compilation, known) is { } helper)
            {
                yield return helper;
            }
        }
    }

    /// <summary>
    /// The method <paramref name="target"/> runs when it is a helper's: declared with a body in this compilation, in a
    /// type that is neither <paramref name="type"/> (its own methods are the call graph's) nor a strategy (a strategy's
    /// own calls are its analysis's), and bound statically (an interface or abstract member has no body to read).
    /// </summary>
    private static IMethodSymbol? HelperMethod(IMethodSymbol target, INamedTypeSymbol type, Compilation compilation, KnownSymbols known)
    {
        IMethodSymbol method = (target.PartialImplementationPart ?? target).OriginalDefinition;
        return method.ContainingType is { } containing
            && SymbolEqualityComparer.Default.Equals(containing.ContainingAssembly, compilation.Assembly)
            && !SymbolEqualityComparer.Default.Equals(containing.OriginalDefinition, type.OriginalDefinition)
            && !known.IsStrategy(containing)
            && !method.IsAbstract
            && method.MethodKind is MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet
            && !method.DeclaringSyntaxReferences.IsEmpty
            ? method
            : null;
    }

    /// <summary>Whether <paramref name="method"/> carries <c>[Allocate]</c>, <c>[Deallocate]</c>, <c>[Owns]</c> or a slow half's marker.</summary>
    private static bool IsCore(IMethodSymbol method, KnownSymbols known) =>
        method.GetAttributes().Any(attribute => known.GetMarker(attribute.AttributeClass)
            is MarkerKind.Allocate or MarkerKind.Deallocate or MarkerKind.Owns or MarkerKind.AllocateSlow or MarkerKind.DeallocateSlow);
}
