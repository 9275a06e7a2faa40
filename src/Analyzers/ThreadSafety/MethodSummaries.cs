using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The summaries (<see cref="CodeNode"/>s) of the helper code strategies reach: methods and accessors of the
/// compilation's other types, walked the first time a strategy's analysis calls into them and shared by every
/// strategy after that. One instance per compilation (created at compilation start, so nothing outlives it); a
/// strategy's own code is summarised by its own analysis, never here.
/// </summary>
internal sealed partial class MethodSummaries
{
    private readonly object _gate = new();
    private readonly Compilation _compilation;
    private readonly ConcurrencySymbols _symbols;
    private readonly Dictionary<ISymbol, CodeNode> _nodes = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _walked = new(SymbolEqualityComparer.Default);
    private readonly SourceBodies _bodies;
    private readonly Dictionary<IMethodSymbol, Origin?> _returns = new(SymbolEqualityComparer.Default);

    public MethodSummaries(Compilation compilation, ConcurrencySymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
        _bodies = new SourceBodies(compilation);
    }

    /// <summary>The summary of <paramref name="callee"/> (a helper method, or a lambda or local function in one), or null.</summary>
    public CodeNode? Find(ISymbol callee, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(callee, out CodeNode? node) && callee is IMethodSymbol method && _walked.Add(callee))
            {
                Walk(method, cancellationToken);
                _nodes.TryGetValue(callee, out node);
            }

            return node;
        }
    }

    private void Walk(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction || _symbols.IsStrategyType(method.ContainingType))
        {
            return;
        }

        var walker = new AccessWalker(_symbols, _compilation.Assembly, new CalleeFacts(this, cancellationToken), cancellationToken);
        foreach (IOperation operation in Bodies(method, cancellationToken))
        {
            walker.Walk(method, NodeRole.Helper, operation);
        }

        foreach (CodeNode node in walker.Nodes)
        {
            _nodes[node.Symbol] = node;
        }
    }

    /// <summary>
    /// Where <paramref name="method"/>'s return value comes from, relative to it (its <c>this</c>, a parameter, a
    /// static, or nothing shared: a new object, a thread's own slot); null for a method without a body here, or
    /// one being computed (recursion).
    /// </summary>
    public Origin? ReturnOrigin(IMethodSymbol method, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_returns.TryGetValue(method, out Origin? known))
            {
                return known;
            }

            _returns[method] = null; // in progress: a recursive call learns nothing
            Origin? result = null;
            if (!method.ReturnsVoid && !method.ReturnType.IsValueType && InCompilation(method))
            {
                var tracker = new OriginTracker(_symbols, new CalleeFacts(this, cancellationToken));
                foreach (IOperation body in Bodies(method, cancellationToken))
                {
                    result = ReturnsOf(body, tracker, result);
                }

                // A dispatched call returns what any of its implementations returns (an interface or abstract member
                // has no body of its own); one whose return is not known leaves the whole unknown.
                System.Collections.Immutable.ImmutableArray<IMethodSymbol> implementations = _symbols.ImplementationsOf(method);
                bool answered = !method.IsAbstract || !implementations.IsEmpty;
                foreach (IMethodSymbol implementation in implementations)
                {
                    if (ReturnOrigin(implementation, cancellationToken) is not { } returned)
                    {
                        answered = false;
                        break;
                    }

                    result = result is { } sofar ? sofar.Join(returned) : returned;
                }

                result = answered ? result : null;
            }

            _returns[method] = result;
            return result;
        }
    }

    /// <summary>Follows the locals of a body in source order and joins the origins of what it returns.</summary>
    private static Origin? ReturnsOf(IOperation body, OriginTracker tracker, Origin? result)
    {
        foreach (IOperation operation in body.DescendantsAndSelf())
        {
            if (tracker.TryAssign(operation))
            {
                continue;
            }

            switch (operation)
            {
                case ISimpleAssignmentOperation assignment:
                    tracker.Publish(assignment.Value, tracker.OfDestination(assignment.Target));
                    break;
                case IReturnOperation { ReturnedValue: { } value } when !value.IsInNestedFunction(body):
                    result = result is { } sofar ? sofar.Join(tracker.Of(value)) : tracker.Of(value);
                    break;
            }
        }

        return result;
    }

    private bool InCompilation(IMethodSymbol method) => SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly);

    private IEnumerable<IOperation> Bodies(IMethodSymbol method, CancellationToken cancellationToken) =>
        _bodies.Of(method, includeGenerated: false, cancellationToken);

    private SemanticModel ModelFor(SyntaxTree tree) => _bodies.ModelFor(tree);
}
