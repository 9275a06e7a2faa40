using System;
using System.Buffers;

namespace MemoryStrategy;

/// <summary>
/// A <see cref="MemoryPool{T}"/> whose buffers are native blocks of one strategy (see
/// <see cref="MemoryStrategyAdapters.AsMemoryPool"/>).
/// </summary>
internal sealed unsafe class StrategyMemoryPool : MemoryPool<byte>
{
    private readonly IMemoryStrategy _strategy;
    private readonly int _defaultBufferSize;
    private volatile bool _disposed;

    public StrategyMemoryPool(IMemoryStrategy strategy, int defaultBufferSize)
    {
        _strategy = strategy;
        MaxBufferSize = (int)Math.Min(strategy.MaxAllocationSize, (nuint)int.MaxValue);
        _defaultBufferSize = Math.Min(defaultBufferSize, MaxBufferSize);
    }

    public override int MaxBufferSize { get; }

    /// <summary>
    /// Allocates <c>max(minBufferSize, defaultBufferSize)</c> bytes, clamped to <see cref="MaxBufferSize"/>: like
    /// <see cref="MemoryPool{T}.Shared"/>, a small request gets a whole default-sized buffer.
    /// </summary>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(minBufferSize, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, MaxBufferSize);

        int size = Math.Max(minBufferSize, _defaultBufferSize);
        void* block = _strategy.Allocate((nuint)size);
        if (block is null)
        {
            AllocationFailure.Throw(_strategy, (nuint)size);
        }

        return new StrategyMemoryManager(_strategy, block, size);
    }

    /// <summary>
    /// Refuses further rents. Buffers already rented stay valid until their owners are disposed, and the strategy
    /// itself is not disposed: the pool is a view over it, the caller owns it.
    /// </summary>
    protected override void Dispose(bool disposing) => _disposed = true;
}
