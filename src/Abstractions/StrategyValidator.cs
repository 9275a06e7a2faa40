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
    public static bool ValidateAllocation(IMemoryStrategy? strategy, nuint size) =>
        IsValidSize(size, strategy?.MaxAllocationSize ?? 0) && ValidateStrategy(strategy);

    /// <summary>
    /// The C interface's <c>validate_deallocation</c>: the strategy is valid, <paramref name="ptr"/> is not null and is a
    /// live allocation of the strategy (<see cref="IMemoryStrategy.Owns"/>).
    /// </summary>
    /// <param name="strategy">The strategy, or <see langword="null"/>.</param>
    /// <param name="ptr">The pointer that would be freed.</param>
    /// <returns>Whether <see cref="IMemoryStrategy.Deallocate"/> would accept the pointer.</returns>
    public static bool ValidateDeallocation(IMemoryStrategy? strategy, void* ptr) =>
        ptr is not null && ValidateStrategy(strategy) && strategy!.Owns(ptr);

    /// <summary>Whether <c>0 &lt; size &lt;= max</c>, in one comparison (size 0 wraps to the largest value).</summary>
    /// <param name="size">The requested size.</param>
    /// <param name="max">The strategy's limit.</param>
    /// <returns>Whether the size is acceptable.</returns>
    public static bool IsValidSize(nuint size, nuint max) => size - 1 < max;
}
