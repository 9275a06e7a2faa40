using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3006: a pointer is used, or deallocated again, after it was passed to <c>Deallocate</c> on every path of the
/// same method. The block may already belong to another thread.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAfterDeallocateAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public UseAfterDeallocateAnalyzer()
        : base(DiagnosticDescriptors.UseAfterDeallocate, includeNestedFunctions: true)
    {
    }

    private protected override FlowFacts CreateFacts(StrategySymbols symbols) => new UseAfterDeallocateFacts(symbols);

    private protected override bool IsRelevant(IOperation operation, StrategySymbols symbols) => StrategyCalls.IsDeallocate(operation, symbols);
}
