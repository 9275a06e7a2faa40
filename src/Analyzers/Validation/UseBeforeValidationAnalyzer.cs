using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3003 (info): a strategy taken from a parameter, a field or a call allocates or deallocates before a successful
/// <c>Validate()</c> or <c>StrategyValidator</c> check on every path through the method: the C interface's "always
/// validate before use". Lambdas are not analyzed: what their captured strategy went through is not visible.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseBeforeValidationAnalyzer : FlowRuleAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public UseBeforeValidationAnalyzer()
        : base(DiagnosticDescriptors.UseBeforeValidation, includeNestedFunctions: false)
    {
    }

    private protected override FlowFacts CreateFacts(StrategySymbols symbols) => new UseBeforeValidationFacts(symbols);

    private protected override bool IsRelevant(IOperation operation, StrategySymbols symbols) =>
        StrategyCalls.IsAllocate(operation, symbols) || StrategyCalls.IsDeallocate(operation, symbols);
}
