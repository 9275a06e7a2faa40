using System;

namespace MemoryStrategy;

/// <summary>
/// A thread-safe memory-allocation strategy: the C <c>MemoryStrategy</c> interface. Every member may be
/// called concurrently from any number of threads.
/// </summary>
/// <remarks>
/// Implement it by writing a <see langword="partial"/> class marked <see cref="MemoryStrategyAttribute"/>: the
/// source generator writes this interface's members around your <see cref="AllocateAttribute"/> and
/// <see cref="DeallocateAttribute"/> methods, with status tracking and validation on every call.
/// </remarks>
public unsafe interface IMemoryStrategy : IDisposable
{
    /// <summary>
    /// Allocates <paramref name="size"/> bytes (the C interface's <c>allocate</c>). Returns <see langword="null"/> when the
    /// request is refused (size 0, above <see cref="MaxAllocationSize"/>, strategy faulted or disposed) or the
    /// strategy is exhausted; never throws for bad input.
    /// </summary>
    /// <param name="size">The number of bytes requested.</param>
    /// <returns>The block, or <see langword="null"/>.</returns>
    void* Allocate(nuint size);

    /// <summary>
    /// Returns a block to the strategy (the C interface's <c>deallocate</c>). A pointer that fails validation
    /// (null, foreign, already freed) is refused and counted, never passed on to the strategy's core.
    /// </summary>
    /// <param name="ptr">A pointer returned by <see cref="Allocate"/> on this strategy.</param>
    void Deallocate(void* ptr);

    /// <summary>The strategy's current health (the C interface's <c>get_status</c>).</summary>
    /// <returns>The current <see cref="StrategyStatus"/>.</returns>
    StrategyStatus GetStatus();

    /// <summary>
    /// Checks the strategy's state and invariants (the C interface's <c>validate</c>). The first call moves an
    /// <see cref="StrategyStatus.Uninitialized"/> strategy to <see cref="StrategyStatus.Ready"/> or
    /// <see cref="StrategyStatus.Faulted"/>. Re-entrant, lock-free and allocation-free.
    /// </summary>
    /// <returns><see langword="true"/> when the strategy is usable.</returns>
    bool Validate();

    /// <summary>Whether <paramref name="ptr"/> is a live allocation of this strategy.</summary>
    /// <param name="ptr">Any pointer, null included.</param>
    /// <returns><see langword="true"/> only for a live allocation of this strategy.</returns>
    bool Owns(void* ptr);

    /// <summary>The largest size <see cref="Allocate"/> accepts. Always finite.</summary>
    nuint MaxAllocationSize { get; }

    /// <summary>The strategy's status state machine and statistics (the C interface's <c>status_tracker</c>).</summary>
    StatusTracker StatusTracker { get; }
}
