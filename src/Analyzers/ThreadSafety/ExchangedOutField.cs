using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Swap-then-drain by exchange: <c>List&lt;Buffer&gt; batch = Interlocked.Exchange(ref _pending, new());</c> stores a
/// new object into a field of this object and returns the old one in one atomic step, so no thread can read the old
/// object out of the field after it. Whether the local then owns it depends on the threads that read it before: the
/// walker hands it over (<see cref="AccessWalker"/>) only when the exchange holds an exclusive lock (as
/// <see cref="SwappedOutField"/>'s swap does: a user holding the lock ran before the exchange, or runs after it on the
/// new object, and the rules check that the field's other users hold it, counting the hand-over as a change of the
/// field), or when the field is lock-free (<see cref="MethodSummaries.IsLockFree"/>: its every other use an
/// <c>Interlocked</c> or <c>Volatile</c> call, a compare-and-swap push that links the old object without using it).
/// Memory ordering: <c>Interlocked.Exchange</c> is a full fence, so what a producer wrote into the old object before
/// publishing it (releasing the lock, or its own compare-and-swap) is visible to the drainer that took it, and the
/// new object is fully built before any thread can read it from the field. Otherwise the local still stands for the
/// field, as <c>var batch = _pending;</c> does.
/// </summary>
internal static class ExchangedOutField
{
    /// <summary>
    /// The local that receives the old object of <paramref name="exchange"/>, when it is
    /// <c>Interlocked.Exchange(ref _field, new ...)</c> on a field of this object whose result is stored into a local
    /// (<c>var batch = ...;</c>, <c>batch = ...;</c>); null otherwise.
    /// </summary>
    public static ILocalSymbol? Taker(IInvocationOperation exchange, ConcurrencySymbols symbols)
    {
        if (SwappedField(exchange, symbols) is null)
        {
            return null;
        }

        IOperation result = exchange.OutermostConversion();
        return result.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { IsRef: false } declared } } => declared,
            ISimpleAssignmentOperation { IsRef: false, Target: ILocalReferenceOperation { Local: { IsRef: false } assigned } } assignment
                when assignment.Value == result => assigned,
            _ => null,
        };
    }

    /// <summary>The field of this object <paramref name="exchange"/> swaps a new object into, or null.</summary>
    public static IFieldSymbol? SwappedField(IInvocationOperation exchange, ConcurrencySymbols symbols)
    {
        if (exchange.TargetMethod.Name != "Exchange" || !symbols.IsInterlocked(exchange.TargetMethod) || exchange.Arguments.Length != 2)
        {
            return null;
        }

        IOperation? location = null;
        IOperation? stored = null;
        foreach (IArgumentOperation argument in exchange.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                location = argument.Value;
            }
            else
            {
                stored = argument.Value;
            }
        }

        return location?.WithoutConversions() is IFieldReferenceOperation { Field: { IsStatic: false, Type.IsReferenceType: true } field } reference
            && reference.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
            && stored is not null
            && IsFresh(stored)
            ? field
            : null;
    }

    /// <summary><c>new()</c>, <c>new List&lt;T&gt;()</c>, <c>[]</c>, <c>null</c>, <c>default</c>: an object no thread holds yet, or none.</summary>
    private static bool IsFresh(IOperation value)
    {
        value = value.WithoutConversions();
        return value is IObjectCreationOperation or IArrayCreationOperation or IDefaultValueOperation
            || value is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } }
            || value.Syntax is CollectionExpressionSyntax { Elements.Count: 0 };
    }
}
