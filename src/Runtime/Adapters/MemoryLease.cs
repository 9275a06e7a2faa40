using System;

namespace MemoryStrategy;

/// <summary>
/// A block leased from a strategy and returned when the lease is disposed:
/// <c>using MemoryLease lease = strategy.Lease(1024); Span&lt;byte&gt; span = lease.Span;</c>
/// </summary>
/// <remarks>
/// <para>
/// A class, not a struct: a copy of a struct lease would carry its own "disposed" flag, so disposing both copies
/// would free the block twice — possibly after the strategy had handed it to someone else. Every reference to a
/// <see cref="MemoryLease"/> shares one state, so <see cref="Dispose"/> returns the block exactly once, however many
/// times and from however many threads it is called.
/// </para>
/// <para>
/// There is no finalizer: a lease that is never disposed keeps its block, and shows in the strategy's
/// <see cref="StrategyStatistics.LiveAllocations"/>. Do not use <see cref="Span"/> or <see cref="Pointer"/> while
/// another thread disposes the lease.
/// </para>
/// </remarks>
public sealed unsafe class MemoryLease : IDisposable
{
    private OwnedBlock _block;

    internal MemoryLease(IMemoryStrategy strategy, void* block, int length)
    {
        _block = new OwnedBlock(strategy, block);
        Length = length;
    }

    /// <summary>The number of bytes leased.</summary>
    public int Length { get; }

    /// <summary>The leased bytes. The contents are whatever the strategy handed out: not zeroed.</summary>
    /// <exception cref="ObjectDisposedException">The lease has been disposed.</exception>
    public Span<byte> Span => new(_block.GetAddress(this), Length);

    /// <summary>The address of the leased block, for native code. Valid until the lease is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The lease has been disposed.</exception>
    public void* Pointer => _block.GetAddress(this);

    /// <summary>Whether the block has been returned to the strategy.</summary>
    public bool IsDisposed => _block.IsReleased;

    /// <summary>Returns the block to the strategy. Only the first call does; later and concurrent calls do nothing.</summary>
    public void Dispose() => _block.Release();
}
