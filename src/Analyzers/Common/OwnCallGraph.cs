using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The calls between one type's own methods, gathered while its bodies are analysed (concurrently) and walked once the
/// type is done: which of its methods a set of roots reaches, at any depth. MEM1011 follows a core into its routing
/// helpers with it, MEM1009 a <c>[Cleanup]</c> into the helpers that dispose.
/// </summary>
/// <remarks>
/// A lambda or local function counts as the method it is written in (it may run there; the rules prefer following it
/// to missing it). A property access counts as a call of the accessor it runs, and a method group
/// (<c>Array.ForEach(_pools, Release)</c>) as a call of its method. Only the static target is followed: a call of a virtual method reaches the
/// body declared in this type, and calls into other types are not followed.
/// </remarks>
internal sealed class OwnCallGraph
{
    private readonly INamedTypeSymbol _type;
    private readonly ConcurrentDictionary<IMethodSymbol, ConcurrentBag<IMethodSymbol>> _calls = new(SymbolEqualityComparer.Default);

    private OwnCallGraph(INamedTypeSymbol type) => _type = type;

    /// <summary>Starts gathering the calls between the methods of the type <paramref name="context"/> analyses.</summary>
    public static OwnCallGraph Register(SymbolStartAnalysisContext context)
    {
        var graph = new OwnCallGraph((INamedTypeSymbol)context.Symbol);
        context.RegisterOperationAction(
            operation => graph.Record(operation.ContainingSymbol, ((IInvocationOperation)operation.Operation).TargetMethod),
            OperationKind.Invocation);
        context.RegisterOperationAction(
            operation => graph.Record(operation.ContainingSymbol, ((IMethodReferenceOperation)operation.Operation).Method),
            OperationKind.MethodReference);
        context.RegisterOperationAction(operation => graph.RecordProperty(operation), OperationKind.PropertyReference);
        return graph;
    }

    /// <summary>The method <paramref name="symbol"/> is, or lies in (a lambda or local function in it); null outside methods.</summary>
    public static IMethodSymbol? MethodOf(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol is IMethodSymbol method ? Canonical(method) : null;
    }

    /// <summary>
    /// Every method of the type that <paramref name="roots"/> reach (themselves included), each with the root that
    /// reaches it (the first found). Cycles end where they close. Call once every body has been analysed.
    /// </summary>
    public Dictionary<IMethodSymbol, IMethodSymbol> Reach(IEnumerable<IMethodSymbol> roots)
    {
        var reachedFrom = new Dictionary<IMethodSymbol, IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<IMethodSymbol>();
        foreach (IMethodSymbol root in roots)
        {
            IMethodSymbol canonical = Canonical(root);
            if (!reachedFrom.ContainsKey(canonical))
            {
                reachedFrom[canonical] = canonical;
                pending.Push(canonical);
            }
        }

        while (pending.Count != 0)
        {
            IMethodSymbol method = pending.Pop();
            if (_calls.TryGetValue(method, out ConcurrentBag<IMethodSymbol>? callees))
            {
                foreach (IMethodSymbol callee in callees)
                {
                    if (!reachedFrom.ContainsKey(callee))
                    {
                        reachedFrom[callee] = reachedFrom[method];
                        pending.Push(callee);
                    }
                }
            }
        }

        return reachedFrom;
    }

    private void Record(ISymbol? containingSymbol, IMethodSymbol? target)
    {
        if (target is not null
            && SymbolEqualityComparer.Default.Equals(target.OriginalDefinition.ContainingType, _type)
            && MethodOf(containingSymbol) is { } caller)
        {
            _calls.GetOrAdd(caller, _ => new ConcurrentBag<IMethodSymbol>()).Add(Canonical(target));
        }
    }

    /// <summary>A property read runs its getter, a write its setter, a compound assignment (<c>P += 1</c>, <c>P ??= x</c>) both.</summary>
    private void RecordProperty(OperationAnalysisContext context)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(reference.Property.OriginalDefinition.ContainingType, _type))
        {
            return;
        }

        bool written = reference.Parent is IAssignmentOperation assignment && assignment.Target == reference;
        if (!written || reference.Parent is ICompoundAssignmentOperation or ICoalesceAssignmentOperation)
        {
            Record(context.ContainingSymbol, reference.Property.GetMethod);
        }

        if (written)
        {
            Record(context.ContainingSymbol, reference.Property.SetMethod);
        }
    }

    /// <summary>One symbol per method: the generic definition, and a partial method's declaration (its body's symbol is the implementation part).</summary>
    private static IMethodSymbol Canonical(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return method.PartialDefinitionPart ?? method;
    }
}
