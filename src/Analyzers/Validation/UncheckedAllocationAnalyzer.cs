using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3005: a pointer returned by <c>Allocate</c> is dereferenced or passed on without a null check on every path.
/// <c>Allocate</c> returns null for a refused size, a faulted or disposed strategy, and exhaustion; the C interface's examples check
/// <c>if (!ptr)</c> after every call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncheckedAllocationAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public UncheckedAllocationAnalyzer()
        : base(DiagnosticDescriptors.UncheckedAllocation, includeNestedFunctions: true)
    {
    }

    private protected override FlowFacts CreateFacts(StrategySymbols symbols) => new UncheckedAllocationFacts(symbols);

    private protected override bool IsRelevant(IOperation operation, StrategySymbols symbols) => StrategyCalls.IsAllocate(operation, symbols);
}
