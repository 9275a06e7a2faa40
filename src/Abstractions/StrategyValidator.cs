using System.Runtime.CompilerServices;

namespace MemoryStrategy;

/// <summary>
/// The C interface's independent validator: checks a strategy, an allocation request or a deallocation request without
/// performing it.
/// </summary>
/// <remarks>
/// Every method is pure (it records nothing), allocation-free, lock-free and re-entrant: call it from any thread,
/// including from inside a strategy's own code. The only state it can change is a strategy's first validation,
/// which <see cref="IMemoryStrategy.Validate"/> performs once (<see cref="StrategyStatus.Uninitialized"/> to
/// <see cref="StrategyStatus.Ready"/> or <see cref="StrategyStatus.Faulted"/>).
/// </remarks>
public static unsafe class StrategyValidator
{
    /// <summary>
    /// The C interface's <c>validate_strategy</c>: the strategy is non-null, neither <see cref="StrategyStatus.Faulted"/>
    /// nor <see cref="StrategyStatus.Disposed"/>, and its own <see cref="IMemoryStrategy.Validate"/> holds.
    /// </summary>
    /// <param name="strategy">The strategy, or <see langword="null"/>.</param>
    /// <returns>Whether the strategy may be used.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ValidateStrategy(IMemoryStrategy? strategy)
    {
        if (strategy is null)
        {
            return false;
        }

        StrategyStatus status = strategy.GetStatus();
        return status is not (StrategyStatus.Faulted or StrategyStatus.Disposed) && strategy.Validate();
    }

    /// <summary>
    /// The C interface's <c>validate_allocation</c>: the strategy is valid and <c>0 &lt; size &lt;= MaxAllocationSize</c>.
    /// </summary>
    /// <param name="strategy">The strategy, or <see langword="null"/>.</param>
    /// <param name="size">The size that would be requested.</param>
    /// <returns>Whether <see cref="IMemoryStrategy.Allocate"/> would accept the request (it may still fail for exhaustion).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ValidateAllocation(IMemoryStrategy? strategy, nuint size) =>
        IsValidSize(size, strategy?.MaxAllocationSize ?? 0) && ValidateStrategy(strategy);

    /// <summary>
    /// The C interface's <c>validate_deallocation</c>: the strategy is valid, <paramref name="ptr"/> is not null and is a
    /// live allocation of the strategy (<see cref="IMemoryStrategy.Owns"/>).
    /// </summary>
    /// <param name="strategy">The strategy, or <see langword="null"/>.</param>
    /// <param name="ptr">The pointer that would be freed.</param>
    /// <returns>Whether <see cref="IMemoryStrategy.Deallocate"/> would accept the pointer.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ValidateDeallocation(IMemoryStrategy? strategy, void* ptr) =>
        ptr is not null && ValidateStrategy(strategy) && strategy!.Owns(ptr);

    /// <summary>
    /// <see cref="ValidateStrategy(IMemoryStrategy)"/> for a caller that holds the concrete type: inlined, with the
    /// strategy's own methods called directly (no interface dispatch) and, for a generated strategy, inlined too.
    /// </summary>
    /// <typeparam name="TStrategy">The strategy's type.</typeparam>
    /// <param name="strategy">The strategy, or <see langword="null"/>.</param>
    /// <returns>Whether the strategy may be used.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ValidateStrategy<TStrategy>(TStrategy? strategy)
        where TStrategy : IMemoryStrategy
    {
        if (strategy is null)
        {
            return false;
        }

        StrategyStatus status = strategy.GetStatus();
        return status is not (StrategyStatus.Faulted or StrategyStatus.Disposed) && strategy.Validate();
    }

    /// <summary>
    /// <see cref="ValidateAllocation(IMemoryStrategy, nuint)"/> for a caller that holds the concrete type (see
    /// <see cref="ValidateStrategy{TStrategy}(TStrategy)"/>).
    /// </summary>
    /// <typeparam name="TStrategy">The strategy's type.</typeparam>
    /// <param name="strategy">The strategy, or <see langword="null"/>.</param>
    /// <param name="size">The size that would be requested.</param>
    /// <returns>Whether <see cref="IMemoryStrategy.Allocate"/> would accept the request (it may still fail for exhaustion).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ValidateAllocation<TStrategy>(TStrategy? strategy, nuint size)
        where TStrategy : IMemoryStrategy =>
        strategy is not null && IsValidSize(size, strategy.MaxAllocationSize) && ValidateStrategy(strategy);

    /// <summary>
    /// <see cref="ValidateDeallocation(IMemoryStrategy, void*)"/> for a caller that holds the concrete type (see
    /// <see cref="ValidateStrategy{TStrategy}(TStrategy)"/>).
    /// </summary>
    /// <typeparam name="TStrategy">The strategy's type.</typeparam>
    /// <param name="strategy">The strategy, or <see langword="null"/>.</param>
    /// <param name="ptr">The pointer that would be freed.</param>
    /// <returns>Whether <see cref="IMemoryStrategy.Deallocate"/> would accept the pointer.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ValidateDeallocation<TStrategy>(TStrategy? strategy, void* ptr)
        where TStrategy : IMemoryStrategy =>
        ptr is not null && ValidateStrategy(strategy) && strategy!.Owns(ptr);

    /// <summary>Whether <c>0 &lt; size &lt;= max</c>, in one comparison (size 0 wraps to the largest value).</summary>
    /// <param name="size">The requested size.</param>
    /// <param name="max">The strategy's limit.</param>
    /// <returns>Whether the size is acceptable.</returns>
    public static bool IsValidSize(nuint size, nuint max) => size - 1 < max;
}
