using System;
using System.Buffers;

namespace MemoryStrategy;

/// <summary>
/// The <see cref="IMemoryOwner{T}"/> that <see cref="StrategyMemoryPool.Rent"/> returns: a <see cref="MemoryManager{T}"/>
/// over one native block of the strategy. Disposing it returns the block, exactly once.
/// </summary>
/// <remarks>
/// The block is native memory, so it never moves: <see cref="Pin"/> needs no GC handle and <see cref="Unpin"/> has
/// nothing to undo. As with every <see cref="MemoryPool{T}"/>, a <see cref="Memory{T}"/> or pin must not be used after
/// its owner is disposed (the block may already serve another caller).
/// </remarks>
internal sealed unsafe class StrategyMemoryManager : MemoryManager<byte>
{
    private readonly int _length;
    private OwnedBlock _block;

    public StrategyMemoryManager(IMemoryStrategy strategy, void* block, int length)
    {
        _block = new OwnedBlock(strategy, block);
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_block.GetAddress(this), _length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)_length, nameof(elementIndex));
        return new MemoryHandle((byte*)_block.GetAddress(this) + elementIndex);
    }

    public override void Unpin()
    {
        // Native memory never moves: there is nothing to unpin.
    }

    protected override void Dispose(bool disposing) => _block.Release();
}
