using System;
using System.Diagnostics.CodeAnalysis;

namespace MemoryStrategy;

/// <summary>
/// The exceptions the adapters throw when a strategy returns null: .NET's memory APIs (<c>MemoryPool.Rent</c>, a
/// lease) hand out memory or throw, they never return an empty result.
/// </summary>
internal static class AllocationFailure
{
    /// <summary>Throws the exception that says why <paramref name="strategy"/> could not allocate <paramref name="size"/> bytes.</summary>
    /// <param name="strategy">The strategy whose allocation returned null.</param>
    /// <param name="size">The size requested.</param>
    /// <exception cref="ObjectDisposedException">The strategy is disposed.</exception>
    /// <exception cref="InvalidOperationException">The strategy is faulted (or failed its first validation).</exception>
    /// <exception cref="OutOfMemoryException">The strategy is serving but exhausted.</exception>
    [DoesNotReturn]
    public static void Throw(IMemoryStrategy strategy, nuint size)
    {
        string name = strategy.StatusTracker.Name;
        StrategyStatus status = strategy.GetStatus();
        throw status switch
        {
            StrategyStatus.Disposed => new ObjectDisposedException(name, $"The memory strategy '{name}' is disposed."),
            StrategyStatus.Faulted => new InvalidOperationException($"The memory strategy '{name}' is faulted and refuses allocations."),
            _ => new OutOfMemoryException($"The memory strategy '{name}' could not allocate {size} bytes (status {status})."),
        };
    }

    /// <summary>Throws unless <c>0 &lt; size &lt;= strategy.MaxAllocationSize</c>.</summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="size">The requested size.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is not positive or above the strategy's limit.</exception>
    public static void ThrowIfInvalidSize(IMemoryStrategy strategy, int size, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, paramName);
        if ((nuint)size > strategy.MaxAllocationSize)
        {
            throw new ArgumentOutOfRangeException(
                paramName, size, $"The memory strategy '{strategy.StatusTracker.Name}' serves at most {strategy.MaxAllocationSize} bytes.");
        }
    }
}
