using System;
using System.Buffers;

namespace MemoryStrategy;

/// <summary>
/// Adapters from an <see cref="IMemoryStrategy"/> to the memory types .NET code already takes:
/// <see cref="MemoryPool{T}"/> (for <c>System.IO.Pipelines</c>, sockets, Kestrel-style code) and a disposable
/// <see cref="MemoryLease"/> for <c>using</c> blocks.
/// </summary>
public static unsafe class MemoryStrategyAdapters
{
    /// <summary>The buffer size <see cref="AsMemoryPool"/> rents when asked for less (or for "any size", <c>-1</c>).</summary>
    public const int DefaultBufferSize = 4096;

    /// <summary>
    /// A <see cref="MemoryPool{T}"/> whose buffers are native blocks of <paramref name="strategy"/>: for example
    /// <c>new Pipe(new PipeOptions(pool: strategy.AsMemoryPool()))</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <c>Rent(minBufferSize)</c> allocates <c>max(minBufferSize, defaultBufferSize)</c> bytes, the default clamped to
    /// the strategy's <see cref="IMemoryStrategy.MaxAllocationSize"/> (so is <see cref="MemoryPool{T}.MaxBufferSize"/>);
    /// it throws <see cref="ArgumentOutOfRangeException"/> above that limit, and when the strategy returns null it
    /// throws <see cref="OutOfMemoryException"/> (exhausted), <see cref="InvalidOperationException"/> (faulted) or
    /// <see cref="ObjectDisposedException"/> (disposed). Each rented owner is a <see cref="MemoryManager{T}"/> over
    /// the block; disposing it returns the block exactly once, even when called twice or concurrently. It has no
    /// finalizer: an owner never disposed keeps its block, visible as a live allocation.
    /// </para>
    /// <para>
    /// Disposing the pool only refuses further rents; it does not dispose the strategy, which the caller owns and
    /// must keep alive until every rented buffer is returned.
    /// </para>
    /// </remarks>
    /// <param name="strategy">The strategy that serves the buffers.</param>
    /// <param name="defaultBufferSize">The smallest buffer rented; <see cref="DefaultBufferSize"/> unless given.</param>
    /// <returns>A pool over the strategy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="strategy"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="strategy"/>'s <see cref="IMemoryStrategy.MaxAllocationSize"/> is 0: it serves no size, so every
    /// rent would fail.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="defaultBufferSize"/> is not positive.</exception>
    public static MemoryPool<byte> AsMemoryPool(this IMemoryStrategy strategy, int defaultBufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(defaultBufferSize);
        if (strategy.MaxAllocationSize == 0)
        {
            // Refused here rather than at the first Rent, where the zero-byte request would come back null and read
            // as exhaustion (OutOfMemoryException) instead of the misconfiguration it is.
            throw new ArgumentException(
                $"The strategy '{strategy.GetType().Name}' serves no size (its MaxAllocationSize is 0), so a memory pool over it could rent nothing.",
                nameof(strategy));
        }

        return new StrategyMemoryPool(strategy, defaultBufferSize);
    }

    /// <summary>
    /// Allocates <paramref name="size"/> bytes from <paramref name="strategy"/> as a lease that returns them when
    /// disposed: <c>using MemoryLease lease = strategy.Lease(1024);</c>
    /// </summary>
    /// <param name="strategy">The strategy to allocate from.</param>
    /// <param name="size">The number of bytes, <c>1..MaxAllocationSize</c>.</param>
    /// <returns>The lease; dispose it to return the block.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="strategy"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not positive or above the strategy's limit.</exception>
    /// <exception cref="OutOfMemoryException">The strategy is exhausted.</exception>
    /// <exception cref="InvalidOperationException">The strategy is faulted.</exception>
    /// <exception cref="ObjectDisposedException">The strategy is disposed.</exception>
    public static MemoryLease Lease(this IMemoryStrategy strategy, int size)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        AllocationFailure.ThrowIfInvalidSize(strategy, size, nameof(size));

        void* block = strategy.Allocate((nuint)size);
        if (block is null)
        {
            AllocationFailure.Throw(strategy, (nuint)size);
        }

        return new MemoryLease(strategy, block, size);
    }
}
