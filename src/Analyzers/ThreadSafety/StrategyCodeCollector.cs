using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Per-strategy state between a symbol-start and its symbol-end: the code nodes of every operation block of the
/// class (blocks are analyzed concurrently, so additions are locked), then the contexts they and the helpers they
/// reach run in, and the rules over all of it.
/// </summary>
internal sealed class StrategyCodeCollector
{
    private readonly object _gate = new();
    private readonly ThreadSafetyCompilation _compilation;
    private readonly INamedTypeSymbol _strategy;
    private readonly List<CodeNode> _nodes = new();

    public StrategyCodeCollector(ThreadSafetyCompilation compilation, INamedTypeSymbol strategy)
    {
        _compilation = compilation;
        _strategy = strategy;
    }

    public void AddBlock(OperationBlockAnalysisContext context)
    {
        ISymbol owner = context.OwningSymbol;
        if (!SymbolEqualityComparer.Default.Equals(owner.ContainingType?.OriginalDefinition, _strategy))
        {
            return; // a member of a nested type: a helper, summarised when the strategy reaches it.
        }

        var walker = new AccessWalker(
            _compilation.Symbols,
            context.Compilation.Assembly,
            new CalleeFacts(_compilation.Summaries, context.CancellationToken),
            context.CancellationToken);
        NodeRole role = RoleOf(owner);
        foreach (IOperation block in context.OperationBlocks)
        {
            walker.Walk(owner, role, block);
        }

        lock (_gate)
        {
            _nodes.AddRange(walker.Nodes);
        }
    }

    public void Report(SymbolAnalysisContext context)
    {
        CodeNode[] nodes;
        lock (_gate)
        {
            // Blocks arrive in whatever order they were analyzed: source order makes the call graph's walk, and so
            // the paths that messages name, the same in every build.
            nodes = _nodes
                .OrderBy(n => n.Symbol.Locations.FirstOrDefault()?.SourceTree?.FilePath, StringComparer.Ordinal)
                .ThenBy(n => n.Symbol.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
                .ThenBy(n => n.Symbol.ToDisplayString(), StringComparer.Ordinal)
                .ToArray();
        }

        ConcurrencySymbols symbols = _compilation.Symbols;
        ConcurrentContexts contexts = ConcurrentContexts.Build(
            nodes,
            callee => _compilation.Summaries.Find(callee, context.CancellationToken),
            symbols);
        var facts = new StrategyFacts(contexts);
        new ThreadSafetyRules(symbols, _strategy, contexts, facts, _compilation, context.ReportDiagnostic).Run();
        LockHygieneRules.Run(contexts, facts, symbols, _compilation, context.ReportDiagnostic);
    }

    private NodeRole RoleOf(ISymbol owner)
    {
        if (owner is not IMethodSymbol method)
        {
            return NodeRole.Construction; // field and property initialisers
        }

        if (method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor
            || KnownSymbols.HasAttribute(method, _compilation.Symbols.SingleThreadedAttribute))
        {
            return NodeRole.Construction;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            switch (_compilation.Symbols.Known.GetMarker(attribute.AttributeClass))
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
