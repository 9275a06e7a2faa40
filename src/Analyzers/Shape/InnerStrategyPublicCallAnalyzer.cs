using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1011 (a suggestion): a strategy's <c>[Allocate]</c>, <c>[Deallocate]</c> or <c>[Owns]</c> core calls, directly
/// or through the strategy's own methods it calls (a routing helper) or the methods of helper objects of the user's own
/// those reach (<see cref="CoreReachedCalls"/>), the public <c>Allocate</c>, <c>Deallocate</c> or
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

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols)
    {
        // One class hierarchy per compilation: a core's helper behind an interface is read through its implementations.
        var implementations = new SourceImplementations(start.Compilation);
        start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, symbols, implementations), SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, KnownSymbols known, SourceImplementations implementations)
    {
        if (!known.IsStrategy((INamedTypeSymbol)context.Symbol))
        {
            return;
        }

        CoreReachedCalls.Register<(string Receiver, string Nested)>(
            context,
            known,
            implementations,
            (IInvocationOperation invocation, System.Func<IOperation?, bool> isHolder, out (string Receiver, string Nested) entry) =>
            {
                entry = PublicEntryFor(invocation, isHolder, known) ?? default;
                return entry.Nested is not null;
            },
            (end, core, call, entry) => end.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InnerStrategyCalledThroughPublicEntry,
                call.Syntax.GetLocation(),
                core.Name,
                entry.Receiver,
                call.TargetMethod.Name,
                entry.Nested)));
    }

    /// <summary>
    /// What the message names as the receiver, and the nested entry to call instead, when <paramref name="invocation"/>
    /// calls a generated strategy's public <c>Allocate</c>, <c>Deallocate</c> or <c>Owns</c> on another instance (not
    /// through an interface), or the same member of another strategy's <c>ThreadScope</c>
    /// (<c>_pool.ForCurrentThread().Allocate(size)</c>, or through a local holding the scope): the scope saves only the
    /// lookup, which <c>ForCurrentThread()</c> made on this very request, and keeps the gate and the statistics. Null for
    /// any other call.
    /// </summary>
    private static (string Receiver, string Nested)? PublicEntryFor(IInvocationOperation invocation, System.Func<IOperation?, bool> isHolder, KnownSymbols known)
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
        if (nested is null || invocation.Instance is null || isHolder(invocation.Instance))
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

}
