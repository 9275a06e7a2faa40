using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1011 (a suggestion): a strategy's <c>[Allocate]</c>, <c>[Deallocate]</c> or <c>[Owns]</c> core calls, directly
/// or through the strategy's own methods it calls (a routing helper), the public <c>Allocate</c>, <c>Deallocate</c> or
/// <c>Owns</c> of another generated strategy it holds. The inner call then pays the generated entry again (thread-local
/// lookup, in-call mark, status gate, and for the first two the size check and statistics) for a request the holder
/// has already admitted; every generated strategy also has <c>AllocateNested</c>/<c>DeallocateNested</c>, which take
/// the inner strategy's <c>StrategyThread</c>, and <c>OwnsNested</c>, which skip all of it. Calls through <c>IMemoryStrategy</c> (a fallback of any type) are not
/// reported: the nested entries are members of the generated class, not of the interface.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InnerStrategyPublicCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InnerStrategyCalledThroughPublicEntry);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<KnownSymbols>(context, CreateSymbols, Register);
    }

    private static KnownSymbols? CreateSymbols(Compilation compilation) =>
        new KnownSymbols(compilation) is { MemoryStrategyAttribute: not null, Allocate: not null, Deallocate: not null } known ? known : null;

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols) =>
        start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, symbols), SymbolKind.NamedType);

    private static void AnalyzeType(SymbolStartAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!known.IsStrategy(type))
        {
            return;
        }

        // Per method of the type (lambdas and local functions count as their method): the type's own methods it
        // calls, and its calls to inner strategies' public entries. Gathered concurrently, judged once the type is done.
        var calls = new ConcurrentDictionary<IMethodSymbol, ConcurrentBag<IMethodSymbol>>(SymbolEqualityComparer.Default);
        var publicCalls = new ConcurrentBag<(IMethodSymbol Method, IInvocationOperation Call, string Nested)>();
        context.RegisterOperationAction(
            operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                if (MethodOf(operation.ContainingSymbol) is not { } caller)
                {
                    return;
                }

                IMethodSymbol target = invocation.TargetMethod.OriginalDefinition;
                if (SymbolEqualityComparer.Default.Equals(target.ContainingType, type))
                {
                    calls.GetOrAdd(caller, _ => new ConcurrentBag<IMethodSymbol>()).Add(target);
                }
                else if (NestedEntryFor(invocation, known) is { } nested)
                {
                    publicCalls.Add((caller, invocation, nested));
                }
            },
            OperationKind.Invocation);
        context.RegisterSymbolEndAction(end =>
        {
            if (publicCalls.IsEmpty)
            {
                return;
            }

            // Every method of the type a core reaches, with the core that reaches it (the first found).
            var reachedFrom = new Dictionary<IMethodSymbol, IMethodSymbol>(SymbolEqualityComparer.Default);
            var pending = new Stack<IMethodSymbol>();
            foreach (IMethodSymbol core in type.GetMembers().OfType<IMethodSymbol>().Where(method => IsCore(method, known)))
            {
                reachedFrom[core] = core;
                pending.Push(core);
            }

            while (pending.Count != 0)
            {
                IMethodSymbol method = pending.Pop();
                if (calls.TryGetValue(method, out ConcurrentBag<IMethodSymbol>? callees))
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

            foreach ((IMethodSymbol method, IInvocationOperation call, string nested) in publicCalls)
            {
                if (reachedFrom.TryGetValue(method, out IMethodSymbol? core))
                {
                    end.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.InnerStrategyCalledThroughPublicEntry,
                        call.Syntax.GetLocation(),
                        core.Name,
                        call.TargetMethod.ContainingType.Name,
                        call.TargetMethod.Name,
                        nested));
                }
            }
        });
    }

    /// <summary>
    /// <c>AllocateNested</c> or <c>DeallocateNested</c> when <paramref name="invocation"/> calls a generated strategy's
    /// public <c>Allocate</c> or <c>Deallocate</c> on another instance (not through an interface); null otherwise.
    /// </summary>
    private static string? NestedEntryFor(IInvocationOperation invocation, KnownSymbols known)
    {
        IMethodSymbol target = invocation.TargetMethod;
        string? nested = target switch
        {
            { Name: "Allocate", Parameters.Length: 1 } => MarkerNames.AllocateNestedMethod,
            { Name: "Deallocate", Parameters.Length: 1 } => MarkerNames.DeallocateNestedMethod,
            { Name: "Owns", Parameters.Length: 1 } => MarkerNames.OwnsNestedMethod,
            _ => null,
        };

        return nested is not null
            && !target.IsStatic
            && target.ContainingType is { TypeKind: TypeKind.Class } inner
            && known.IsStrategy(inner)
            && invocation.Instance is not (null or IInstanceReferenceOperation)
            ? nested
            : null;
    }

    /// <summary>The method <paramref name="symbol"/> is, or lies in (a lambda or local function in it).</summary>
    private static IMethodSymbol? MethodOf(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return (symbol as IMethodSymbol)?.OriginalDefinition;
    }

    /// <summary>Whether <paramref name="method"/> carries <c>[Allocate]</c>, <c>[Deallocate]</c>, <c>[Owns]</c> or a slow half's marker.</summary>
    private static bool IsCore(IMethodSymbol method, KnownSymbols known) =>
        method.GetAttributes().Any(attribute => known.GetMarker(attribute.AttributeClass)
            is MarkerKind.Allocate or MarkerKind.Deallocate or MarkerKind.Owns or MarkerKind.AllocateSlow or MarkerKind.DeallocateSlow);
}
