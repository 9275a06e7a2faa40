using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3005's dataflow: the pointers that may hold an <c>Allocate</c> result not yet checked for null on some path: a
/// local or parameter, a field or property of the class (<c>_buffer</c>), or a path of fields and properties to one
/// (<c>_state.Block</c>: a <see cref="MemberPath"/>). A null test (<c>p == null</c>, <c>p is not null</c>, ...) or a
/// successful <c>ValidateDeallocation(s, p)</c> / <c>s.Owns(p)</c> clears one on the edge where it is non-null;
/// dereferencing it or passing it to a method that is not the strategy's or a validator's reports it (once per path).
/// Any other call forgets the fields and paths whose last member the code it runs may read (a test) or whose members it
/// may assign (<see cref="CalleeFieldWrites"/>), after judging what it is passed. A copy (<c>byte* q = p;</c>) is
/// unchecked with its source, and a test of either checks both (<see cref="Alias"/>).
/// </summary>
internal sealed class UncheckedAllocationFacts : FlowFacts
{
    /// <summary>What a call's code must do to a step of an unchecked pointer's path to end its tracking: read its last member (a test) or assign any.</summary>
    private static readonly Func<FieldEffect, bool, bool> s_forgets = static (effect, last) => effect >= (last ? FieldEffect.Reads : FieldEffect.AssignsNew);

    private readonly StrategySymbols _symbols;

    public UncheckedAllocationFacts(StrategySymbols symbols) => _symbols = symbols;

    public override bool MustHoldOnEveryPath => false;

    public override ImmutableHashSet<object> Transfer(IOperation operation, ImmutableHashSet<object> facts, Action<Diagnostic>? report)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when FactOf(assignment.Target) is { } target:
                facts = Forget(facts, assignment.Target);
                return StrategyCalls.IsAllocate(assignment.Value.WithoutConversions(), _symbols)
                    ? facts.Add(target)
                    : Copy(facts, assignment.Target, assignment.Value);
            case IArgumentOperation { Parent: IInvocationOperation or IObjectCreationOperation } argument when argument.Value.WithoutConversions() is var value && IsPassedOn(argument):
                if (StrategyCalls.IsAllocate(value, _symbols))
                {
                    report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UncheckedAllocation, value.Syntax.GetLocation(), value.Syntax.ToString()));
                    return facts;
                }

                return Use(value, argument.Value.Syntax, facts, report);
            case IInvocationOperation allocation when StrategyCalls.IsAllocate(allocation, _symbols) && IsDereferenced(allocation.Syntax):
                report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UncheckedAllocation, allocation.Syntax.GetLocation(), allocation.Syntax.ToString()));
                return facts;
            case IInvocationOperation call when !StrategyCalls.AcceptsAnyPointer(call.TargetMethod, _symbols) && !StrategyCalls.IsAllocate(call, _symbols):
                // What it is passed is judged first (its arguments come after it in this walk); then whatever a field
                // or a path held may have been tested or changed by it.
                foreach (IArgumentOperation argument in call.Arguments)
                {
                    if (IsPassedOn(argument))
                    {
                        facts = Use(argument.Value.WithoutConversions(), argument.Value.Syntax, facts, report);
                    }
                }

                return ForgetMembers(facts, call, _symbols.FieldWrites, s_forgets);
            case var updated when UpdatedInPlace(updated) is { } target:
                return Forget(facts, target);
            case var user when UserDefinedOperator(user) is not null:
                return ForgetMembers(facts, user, _symbols.FieldWrites, s_forgets);
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation
                when FactOf(operation) is { } read && facts.Contains(read) && IsDereferenced(operation.Syntax):
                return Use(operation, operation.Syntax, facts, report);
            default:
                return facts;
        }
    }

    public override ImmutableHashSet<object> Assume(IOperation condition, bool value, ImmutableHashSet<object> facts)
    {
        IOperation test = StripNot(condition, ref value);
        if (StrategyCalls.GetOwnedPointer(test, _symbols) is { } owned && value && FactOf(owned) is { } ownedPointer)
        {
            return RemoveWithAliases(facts, ownedPointer);
        }

        if (GetNullTest(test, out bool trueMeansNull) is { } tested)
        {
            bool isNull = value == trueMeansNull;
            return isNull ? facts : RemoveWithAliases(facts, tested);
        }

        return facts;
    }

    private static ImmutableHashSet<object> Use(IOperation value, SyntaxNode syntax, ImmutableHashSet<object> facts, Action<Diagnostic>? report)
    {
        if (FactOf(value) is not { } pointer || !facts.Contains(pointer))
        {
            return facts;
        }

        report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UncheckedAllocation, syntax.GetLocation(), pointer is ISymbol symbol ? symbol.Name : pointer.ToString()));
        return RemoveWithAliases(facts, pointer);
    }

    /// <summary><c>p == null</c>, <c>p != null</c>, <c>p is null</c>, <c>p is not null</c>: the pointer tested, and what true means.</summary>
    private static object? GetNullTest(IOperation test, out bool trueMeansNull)
    {
        trueMeansNull = true;
        switch (test)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                trueMeansNull = binary.OperatorKind == BinaryOperatorKind.Equals;
                return IsNull(binary.RightOperand) ? FactOf(binary.LeftOperand)
                    : IsNull(binary.LeftOperand) ? FactOf(binary.RightOperand)
                    : null;
            case IIsPatternOperation { Pattern: IConstantPatternOperation constant } isPattern when IsNull(constant.Value):
                return FactOf(isPattern.Value);
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } isNot when IsNull(constant.Value):
                trueMeansNull = false;
                return FactOf(isNot.Value);
            default:
                return null;
        }
    }

    private static bool IsNull(IOperation operation)
    {
        IOperation value = operation.WithoutConversions();
        return value is IDefaultValueOperation
            || (value.ConstantValue.HasValue && (value.ConstantValue.Value is null || value.ConstantValue.Value is 0 or 0L or 0U or 0UL));
    }

    /// <summary>
    /// Only handing the pointer to code that may dereference it counts: not the strategy and the validators (they
    /// accept null), not a cast to a number (<c>Log((nint)p)</c>), and not a store (<c>_list.Add(p)</c>,
    /// <c>Volatile.Write(ref _last, p)</c>): a pointer only cast or stored is never dereferenced here.
    /// </summary>
    private bool IsPassedOn(IArgumentOperation argument)
    {
        IMethodSymbol? target = argument.Parent switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        if (target is null || StrategyCalls.AcceptsAnyPointer(target, _symbols) || argument.Parameter?.RefKind == RefKind.Out)
        {
            return false; // an out argument is given a value, not handed one
        }

        if (argument.Value.Type is not IPointerTypeSymbol && argument.Value.WithoutConversions().Type is IPointerTypeSymbol)
        {
            return false; // cast to a number
        }

        return !IsStore(target);
    }

    private static readonly System.Collections.Generic.HashSet<string> StoringMembers = new()
    {
        "Add", "TryAdd", "Push", "Enqueue", "Insert", "AddFirst", "AddLast", "Exchange", "CompareExchange", "Write",
    };

    /// <summary>A method that stores its argument: a collection's Add/Push/Enqueue, Interlocked.Exchange, Volatile.Write.</summary>
    private static bool IsStore(IMethodSymbol method) =>
        StoringMembers.Contains(method.Name)
        && (!method.IsStatic || method.ContainingType?.ToDisplayString() is "System.Threading.Interlocked" or "System.Threading.Volatile");

    /// <summary><c>*p</c>, <c>p[i]</c>, <c>p-&gt;x</c>, also through casts and pointer arithmetic: <c>*((byte*)p + 1)</c>.</summary>
    public static bool IsDereferenced(SyntaxNode syntax)
    {
        SyntaxNode current = syntax;
        while (current.Parent is ParenthesizedExpressionSyntax or CastExpressionSyntax
            || current.Parent is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression) | binary.IsKind(SyntaxKind.SubtractExpression))
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            PrefixUnaryExpressionSyntax prefix => prefix.IsKind(SyntaxKind.PointerIndirectionExpression),
            ElementAccessExpressionSyntax element => element.Expression == current,
            MemberAccessExpressionSyntax member => member.IsKind(SyntaxKind.PointerMemberAccessExpression) && member.Expression == current,
            _ => false,
        };
    }
}
