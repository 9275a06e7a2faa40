using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3006's dataflow: the pointer variables passed to <c>Deallocate</c> on every path so far. Assigning the
/// variable clears it. Comparing it, converting it to an integer (a dictionary key, a log line), or asking
/// <c>Owns</c>/<c>ValidateDeallocation</c> about it is harmless; any other use, a second <c>Deallocate</c>
/// included, is reported (once per path).
/// </summary>
internal sealed class UseAfterDeallocateFacts : FlowFacts
{
    private readonly StrategySymbols _symbols;

    public UseAfterDeallocateFacts(StrategySymbols symbols) => _symbols = symbols;

    public override bool MustHoldOnEveryPath => true;

    public override ImmutableHashSet<object> Transfer(IOperation operation, ImmutableHashSet<object> facts, Action<Diagnostic>? report)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when ReferencedVariable(assignment.Target) is { } assigned && assignment.Target is not IConversionOperation:
                return facts.Remove(assigned);
            case IInvocationOperation invocation when StrategyCalls.IsDeallocate(invocation, _symbols)
                && invocation.Arguments.Length == 1
                && ReferencedVariable(invocation.Arguments[0].Value) is { } freed:
                if (facts.Contains(freed))
                {
                    report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UseAfterDeallocate, invocation.Syntax.GetLocation(), freed.Name));
                }

                return facts.Add(freed);
            case ILocalReferenceOperation or IParameterReferenceOperation when ReferencedVariable(operation) is { } used
                && facts.Contains(used)
                && IsRealUse(operation):
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UseAfterDeallocate, operation.Syntax.GetLocation(), used.Name));
                return facts.Remove(used);
            default:
                return facts;
        }
    }

    private bool IsRealUse(IOperation reference)
    {
        IOperation current = reference.OutermostConversion(conversion => conversion.Type is IPointerTypeSymbol);

        switch (current.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == current:
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals }:
            case IIsPatternOperation:
            case IConversionOperation:
            case INameOfOperation:
                return false;
            case IArgumentOperation { Parent: IInvocationOperation invocation }:
                // Deallocate is handled where it is called; Owns and the validators accept a freed pointer.
                return !StrategyCalls.AcceptsAnyPointer(invocation.TargetMethod, _symbols);
            default:
                return true;
        }
    }
}
