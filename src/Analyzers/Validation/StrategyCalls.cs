using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>Recognises the calls the validation rules reason about: allocate, deallocate, and the validators.</summary>
internal static class StrategyCalls
{
    public static bool IsAllocate(IOperation operation, StrategySymbols symbols) =>
        operation is IInvocationOperation invocation && StrategySymbols.Is(invocation.TargetMethod, symbols.Allocate);

    public static bool IsDeallocate(IOperation operation, StrategySymbols symbols) =>
        operation is IInvocationOperation invocation && StrategySymbols.Is(invocation.TargetMethod, symbols.Deallocate);

    /// <summary>
    /// The strategy a successful call vouches for: <c>s.Validate()</c>, and <c>StrategyValidator.ValidateStrategy(s)</c>,
    /// <c>ValidateAllocation(s, n)</c>, <c>ValidateDeallocation(s, p)</c> (each validates the strategy first).
    /// </summary>
    public static IOperation? GetValidatedStrategy(IOperation operation, StrategySymbols symbols)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return null;
        }

        if (StrategySymbols.Is(invocation.TargetMethod, symbols.Validate))
        {
            return invocation.Instance;
        }

        return IsValidatorCall(invocation, symbols) && invocation.Arguments.Length > 0 && invocation.TargetMethod.Name != "IsValidSize"
            ? invocation.Arguments[0].Value
            : null;
    }

    /// <summary>
    /// The pointer a successful call proves non-null and owned: <c>ValidateDeallocation(s, p)</c>, <c>s.Owns(p)</c>.
    /// </summary>
    public static IOperation? GetOwnedPointer(IOperation operation, StrategySymbols symbols)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return null;
        }

        if (StrategySymbols.Is(invocation.TargetMethod, symbols.Owns) && invocation.Arguments.Length == 1)
        {
            return invocation.Arguments[0].Value;
        }

        return IsValidatorCall(invocation, symbols) && invocation.TargetMethod.Name == "ValidateDeallocation" && invocation.Arguments.Length == 2
            ? invocation.Arguments[1].Value
            : null;
    }

    /// <summary>Calls that accept a null or freed pointer by contract: the strategy's own members and the validators.</summary>
    public static bool AcceptsAnyPointer(IMethodSymbol method, StrategySymbols symbols) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.StrategyValidator)
        || StrategySymbols.Is(method, symbols.Deallocate)
        || StrategySymbols.Is(method, symbols.Owns);

    private static bool IsValidatorCall(IInvocationOperation invocation, StrategySymbols symbols) =>
        SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.StrategyValidator);
}
