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
}
