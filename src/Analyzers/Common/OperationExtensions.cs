using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>Small questions about an operation's surroundings that several rules ask.</summary>
internal static class OperationExtensions
{
    /// <summary>Whether the operation only names a member (<c>nameof(AllocateCore)</c>) rather than using it.</summary>
    public static bool IsInsideNameOf(this IOperation operation)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the operation lies in a lambda or a local function inside <paramref name="body"/>: a <c>return</c> there
    /// returns from that function, not from the method whose body it is.
    /// </summary>
    public static bool IsInNestedFunction(this IOperation operation, IOperation body)
    {
        for (IOperation? current = operation.Parent; current is not null && current != body; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The value under conversions and parentheses: <c>(byte*)p</c> is <c>p</c>, and <c>lock (_gate)</c>'s implicit
    /// boxing to <see cref="object"/> is <c>_gate</c>, for every question the rules ask about a value.
    /// </summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// The outermost operation that is <paramref name="operation"/> under conversions and parentheses (the inverse
    /// of <see cref="WithoutConversions"/>), climbing only through conversions <paramref name="through"/> accepts.
    /// </summary>
    public static IOperation OutermostConversion(this IOperation operation, System.Func<IConversionOperation, bool>? through = null)
    {
        while (operation.Parent is IParenthesizedOperation
            || (operation.Parent is IConversionOperation conversion && (through is null || through(conversion))))
        {
            operation = operation.Parent;
        }

        return operation;
    }
}
