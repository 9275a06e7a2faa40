using System;

namespace MemoryStrategy;

/// <summary>
/// Facts about a strategy that let the C validators (<c>validate_strategy</c>, <c>validate_allocation</c>,
/// <c>validate_deallocation</c>, written in C in the NativeAOT library) answer from the struct's memory without calling
/// into .NET. Passed to <c>NativeStrategyHandle.Create</c>;
/// generated strategies state them, a hand-written one may leave them out (<see cref="None"/>: every answer comes from
/// .NET, as correct and slower).
/// </summary>
[Flags]
public enum NativeStrategyTraits
{
    /// <summary>Nothing is known: the C validators ask the strategy for every answer.</summary>
    None = 0,

    /// <summary>
    /// <see cref="IMemoryStrategy.Validate"/> holds exactly when the status is <see cref="StrategyStatus.Ready"/> or
    /// <see cref="StrategyStatus.Degraded"/>, once the strategy has left <see cref="StrategyStatus.Uninitialized"/> (the
    /// first validation still runs in .NET): true of a generated strategy without a <c>[Validate]</c> method.
    /// </summary>
    StatusOnlyValidation = 1,

    /// <summary>
    /// <see cref="IMemoryStrategy.MaxAllocationSize"/> never changes once the strategy has left
    /// <see cref="StrategyStatus.Uninitialized"/>: true of every generated strategy (<c>LimitMaxAllocationSize</c> runs
    /// before it is validated). The runtime then publishes the limit next to the struct for the C validators.
    /// </summary>
    FixedMaxAllocationSize = 2,
}
