using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3003 (info): a strategy taken from a parameter, a field or a call allocates or deallocates before a successful
/// <c>Validate()</c> or <c>StrategyValidator</c> check on every path through the method: the C interface's "always
/// validate before use". A lambda's or local function's body is analyzed as a body of its own, judging only the
/// strategies it takes itself (its parameters and locals, calls): what a captured variable or a field went through
/// before the function runs is not visible, so their uses there are not reported. A strategy class's calls to the
/// strategies held in its own fields, directly or through locals that only hold them, are not reported (see
/// <see cref="ForBody"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseBeforeValidationAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public UseBeforeValidationAnalyzer()
        : base(DiagnosticDescriptors.UseBeforeValidation, includeNestedFunctions: true)
    {
    }

    private protected override FlowFacts CreateFacts(StrategySymbols symbols) => new UseBeforeValidationFacts(symbols);

    private protected override bool IsRelevant(IOperation operation, StrategySymbols symbols) =>
        (StrategyCalls.IsAllocate(operation, symbols) || StrategyCalls.IsDeallocate(operation, symbols))
        && (((IInvocationOperation)operation).Instance is not { } receiver || !HolderReads.ReadsOwnField(receiver, symbols.Known));

    /// <summary>
    /// In a <c>[MemoryStrategy]</c> class, the problem also knows the strategies the class holds in its own fields
    /// (<see cref="HolderReads"/>): a strategy built from strategies routing a request its own generated wrapper
    /// already admitted. The holder's validation answers for its inner strategies (it attaches and validates them,
    /// and its <c>[Validate]</c> checks them), and the inner strategy's public entry keeps its own gate; a validation
    /// before each routed call would be the second check per request that composing strategies exists to avoid.
    /// </summary>
    /// <remarks>
    /// A lambda's or local function's graph gets a problem that knows the function (<see cref="NestedFunction"/>), so
    /// that it leaves alone what the function captures.
    /// </remarks>
    private protected override FlowFacts ForBody(FlowFacts facts, ControlFlowGraph graph, ISymbol owningSymbol, StrategySymbols symbols)
    {
        IMethodSymbol? nested = NestedFunction(graph);
        HolderReads? holderReads = owningSymbol.ContainingType is { } type && symbols.Known.IsStrategy(type.OriginalDefinition)
            ? HolderReads.Of(graph.OriginalOperation, symbols.Known)
            : null;
        return holderReads is null && nested is null ? facts : new UseBeforeValidationFacts(symbols, holderReads, nested);
    }

    /// <summary>The lambda or local function whose body <paramref name="graph"/> is; null for a method's own body.</summary>
    private static IMethodSymbol? NestedFunction(ControlFlowGraph graph) => graph.OriginalOperation switch
    {
        IAnonymousFunctionOperation lambda => lambda.Symbol,
        ILocalFunctionOperation local => local.Symbol,
        _ => null,
    };
}
