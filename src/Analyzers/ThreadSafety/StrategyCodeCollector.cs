using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Per-strategy state between a symbol-start and its symbol-end: the code nodes of every operation block of the
/// class (blocks are analyzed concurrently, so additions are locked), then the rules over the whole class.
/// </summary>
internal sealed class StrategyCodeCollector
{
    private readonly object _gate = new();
    private readonly ConcurrencySymbols _symbols;
    private readonly INamedTypeSymbol _strategy;
    private readonly List<CodeNode> _nodes = new();
    private readonly List<ISymbol> _escaped = new();

    public StrategyCodeCollector(ConcurrencySymbols symbols, INamedTypeSymbol strategy)
    {
        _symbols = symbols;
        _strategy = strategy;
    }

    public void AddBlock(OperationBlockAnalysisContext context)
    {
        ISymbol owner = context.OwningSymbol;
        if (!SymbolEqualityComparer.Default.Equals(owner.ContainingType?.OriginalDefinition, _strategy))
        {
            return; // a member of a nested type: not this strategy's code.
        }

        var walker = new AccessWalker(_symbols, _strategy, context.CancellationToken);
        NodeRole role = RoleOf(owner);
        foreach (IOperation block in context.OperationBlocks)
        {
            walker.Walk(owner, role, block);
        }

        lock (_gate)
        {
            _nodes.AddRange(walker.Nodes);
            _escaped.AddRange(walker.EscapedMethods);
        }
    }

    public void Report(SymbolAnalysisContext context)
    {
        StrategyCallGraph graph;
        lock (_gate)
        {
            graph = StrategyCallGraph.Build(_nodes.ToArray(), _escaped.ToArray());
        }

        var facts = new StrategyFacts(graph);
        new ThreadSafetyRules(_symbols, _strategy, graph, facts, context.ReportDiagnostic).Run();
        LockHygieneRules.Run(_strategy, graph, facts, _symbols, context.ReportDiagnostic);
    }

    private NodeRole RoleOf(ISymbol owner)
    {
        if (owner is not IMethodSymbol method)
        {
            return NodeRole.Construction; // field and property initialisers
        }

        if (method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor)
        {
            return NodeRole.Construction;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            switch (_symbols.Known.GetMarker(attribute.AttributeClass))
            {
                case MarkerKind.Cleanup:
                    return NodeRole.Construction; // runs once, after the strategy stopped serving
                case MarkerKind kind:
                    return NodeRole.Entry;
            }
        }

        bool callableFromOutside = method.DeclaredAccessibility != Accessibility.Private || !method.ExplicitInterfaceImplementations.IsEmpty;
        return callableFromOutside ? NodeRole.Entry : NodeRole.Helper;
    }
}
