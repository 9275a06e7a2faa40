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
/// <c>Owns</c> of another generated strategy it holds, or the same member of that strategy's <c>ForCurrentThread()</c>
/// scope (in one expression, or through a local holding the scope). The inner call then pays the generated entry again
/// (thread-local lookup, in-call mark, status gate, and for the first two the size check and statistics) for a request
/// the holder has already admitted; every generated strategy also has <c>AllocateNested</c>/<c>DeallocateNested</c>, which take
/// the inner strategy's <c>StrategyThread</c>, and <c>OwnsNested</c>, which skip all of it (the scope saves the lookup
/// only when it is kept across calls; taken per request, it makes the lookup itself). Calls through
/// <c>IMemoryStrategy</c> (a fallback of any type) are not reported: the nested entries are members of the generated
/// class, not of the interface.
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

        // The type's own calls (a core's routing helpers), and its calls to inner strategies' public entries with the
        // method they are written in (lambdas and local functions count as their method): judged once the type is done.
        OwnCallGraph graph = OwnCallGraph.Register(context);
        var publicCalls = new ConcurrentBag<(IMethodSymbol Method, IInvocationOperation Call, (string Receiver, string Nested) Entry)>();
        context.RegisterOperationAction(
            operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                if (PublicEntryFor(invocation, known) is { } entry && OwnCallGraph.MethodOf(operation.ContainingSymbol) is { } caller)
                {
                    publicCalls.Add((caller, invocation, entry));
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
            Dictionary<IMethodSymbol, IMethodSymbol> reachedFrom = graph.Reach(type.GetMembers().OfType<IMethodSymbol>().Where(method => IsCore(method, known)));
            foreach ((IMethodSymbol method, IInvocationOperation call, (string Receiver, string Nested) entry) in publicCalls)
            {
                if (reachedFrom.TryGetValue(method, out IMethodSymbol? core))
                {
                    end.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.InnerStrategyCalledThroughPublicEntry,
                        call.Syntax.GetLocation(),
                        core.Name,
                        entry.Receiver,
                        call.TargetMethod.Name,
                        entry.Nested));
                }
            }
        });
    }

    /// <summary>
    /// What the message names as the receiver, and the nested entry to call instead, when <paramref name="invocation"/>
    /// calls a generated strategy's public <c>Allocate</c>, <c>Deallocate</c> or <c>Owns</c> on another instance (not
    /// through an interface), or the same member of another strategy's <c>ThreadScope</c>
    /// (<c>_pool.ForCurrentThread().Allocate(size)</c>, or through a local holding the scope): the scope saves only the
    /// lookup, which <c>ForCurrentThread()</c> made on this very request, and keeps the gate and the statistics. Null for
    /// any other call.
    /// </summary>
    private static (string Receiver, string Nested)? PublicEntryFor(IInvocationOperation invocation, KnownSymbols known)
    {
        IMethodSymbol target = invocation.TargetMethod;
        string? nested = target switch
        {
            { IsStatic: true } => null,
            { Name: "Allocate", Parameters.Length: 1 } => MarkerNames.AllocateNestedMethod,
            { Name: "Deallocate", Parameters.Length: 1 } => MarkerNames.DeallocateNestedMethod,
            { Name: "Owns", Parameters.Length: 1 } => MarkerNames.OwnsNestedMethod,
            _ => null,
        };
        if (nested is null || invocation.Instance is null or IInstanceReferenceOperation)
        {
            return null;
        }

        if (target.ContainingType is { TypeKind: TypeKind.Class } inner && known.IsStrategy(inner))
        {
            return (inner.Name, nested);
        }

        // A strategy's own scope (this.ForCurrentThread()) would be a recursive call, not an inner strategy.
        return target.ContainingType is { Name: MarkerNames.ThreadScopeType, TypeKind: TypeKind.Struct, ContainingType: { TypeKind: TypeKind.Class } strategy }
            && known.IsStrategy(strategy)
            && invocation.Instance.WithoutConversions() is not IInvocationOperation { Instance: null or IInstanceReferenceOperation, TargetMethod.Name: "ForCurrentThread" }
            ? (strategy.Name + ".ForCurrentThread()", nested)
            : null;
    }

    /// <summary>Whether <paramref name="method"/> carries <c>[Allocate]</c>, <c>[Deallocate]</c>, <c>[Owns]</c> or a slow half's marker.</summary>
    private static bool IsCore(IMethodSymbol method, KnownSymbols known) =>
        method.GetAttributes().Any(attribute => known.GetMarker(attribute.AttributeClass)
            is MarkerKind.Allocate or MarkerKind.Deallocate or MarkerKind.Owns or MarkerKind.AllocateSlow or MarkerKind.DeallocateSlow);
}
