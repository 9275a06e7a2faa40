using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3006's dataflow: the pointers passed to <c>Deallocate</c> on every path so far: a local or parameter, a field
/// or property of the class (<c>_buffer</c>), or a path of fields and properties to one (<c>_state.Block</c>,
/// <c>node.Data</c>: a <see cref="MemberPath"/>). Assigning it (or any member along its path) clears it. Comparing
/// it, converting it to an integer (a dictionary key, a log line), or asking <c>Owns</c>/<c>ValidateDeallocation</c>
/// about it is harmless; any other use, a second <c>Deallocate</c> included, is reported (once per path). A call to
/// any other method may change what a field or a path holds (a <c>Reset()</c> that allocates again): after judging
/// what it is passed, it forgets those whose members the code it runs may assign (<see cref="CalleeFieldWrites"/>); a
/// local or parameter only an assignment changes. A copy made before the free (<c>byte* q = p;</c>) is freed with it
/// (<see cref="Alias"/>).
/// </summary>
internal sealed class UseAfterDeallocateFacts : FlowFacts
{
    /// <summary>What a call's code must do to a step of a freed pointer's path to end its tracking: assign it.</summary>
    private static readonly Func<FieldEffect, bool, bool> s_forgets = static (effect, last) => effect >= FieldEffect.AssignsNew;

    private readonly StrategySymbols _symbols;

    public UseAfterDeallocateFacts(StrategySymbols symbols) => _symbols = symbols;

    public override bool MustHoldOnEveryPath => true;

    public override ImmutableHashSet<object> Transfer(IOperation operation, ImmutableHashSet<object> facts, Action<Diagnostic>? report)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target is not IConversionOperation:
                return Copy(Forget(facts, assignment.Target), assignment.Target, assignment.Value);
            case var updated when UpdatedInPlace(updated) is { } target:
                return Forget(facts, target);
            case var user when UserDefinedOperator(user) is not null:
                return ForgetMembers(facts, user, _symbols.FieldWrites, s_forgets);
            case IInvocationOperation invocation when StrategyCalls.IsDeallocate(invocation, _symbols)
                && invocation.Arguments.Length == 1
                && FactOf(invocation.Arguments[0].Value) is { } freed:
                if (facts.Contains(freed))
                {
                    report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UseAfterDeallocate, invocation.Syntax.GetLocation(), NameOf(freed)));
                }

                return AddWithAliases(facts, freed);
            case IInvocationOperation call when !StrategyCalls.AcceptsAnyPointer(call.TargetMethod, _symbols) && !StrategyCalls.IsAllocate(call, _symbols):
                // What it is passed is used first; then whatever a field or a path held may have changed under it.
                foreach (IArgumentOperation argument in call.Arguments)
                {
                    facts = UseOf(argument.Value, facts, report);
                }

                return ForgetMembers(facts, call, _symbols.FieldWrites, s_forgets);
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation:
                return UseOf(operation, facts, report);
            default:
                return facts;
        }
    }

    /// <summary>Reports <paramref name="reference"/> when it reads a freed pointer and uses it for real.</summary>
    private ImmutableHashSet<object> UseOf(IOperation reference, ImmutableHashSet<object> facts, Action<Diagnostic>? report)
    {
        if (FactOf(reference) is not { } used || !facts.Contains(used) || !IsRealUse(reference.WithoutConversions()))
        {
            return facts;
        }

        report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UseAfterDeallocate, reference.Syntax.GetLocation(), NameOf(used)));
        return RemoveWithAliases(facts, used);
    }

    private static string NameOf(object fact) => fact is ISymbol symbol ? symbol.Name : fact.ToString();

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
            case IArgumentOperation { Parameter.RefKind: RefKind.Out }:
                return false; // given a new value, not read
            case IArgumentOperation { Parent: IInvocationOperation invocation }:
                // Deallocate is handled where it is called; Owns and the validators accept a freed pointer.
                return !StrategyCalls.AcceptsAnyPointer(invocation.TargetMethod, _symbols);
            default:
                return true;
        }
    }
}
