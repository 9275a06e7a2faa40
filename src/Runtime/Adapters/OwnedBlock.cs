using System;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// One block a strategy handed out, returned to it exactly once. The shared core of <see cref="MemoryLease"/> and
/// the memory pool's owners: a field of a class, never copied, so there is a single address word to race on.
/// </summary>
internal unsafe struct OwnedBlock
{
    private readonly IMemoryStrategy _strategy;

    /// <summary>The block's address; 0 once released.</summary>
    private nint _address;

    /// <summary>Takes ownership of <paramref name="address"/>, a block <paramref name="strategy"/> allocated.</summary>
    public OwnedBlock(IMemoryStrategy strategy, void* address)
    {
        _strategy = strategy;
        _address = (nint)address;
    }

    /// <summary>Whether the block has been returned.</summary>
    public bool IsReleased => Volatile.Read(ref _address) == 0;

    /// <summary>The block's address.</summary>
    /// <param name="owner">The object reported in the exception when the block has been returned.</param>
    /// <returns>The address, never null.</returns>
    /// <exception cref="ObjectDisposedException">The block has been returned.</exception>
    public void* GetAddress(object owner)
    {
        // Acquire: pairs with the release's exchange, so a disposed owner is seen as disposed. A caller that reads
        // the address while another thread releases it races its own Dispose; the contract forbids that.
        nint address = Volatile.Read(ref _address);
        ObjectDisposedException.ThrowIf(address == 0, owner);
        return (void*)address;
    }

    /// <summary>Returns the block to its strategy, once: later and concurrent calls do nothing.</summary>
    public void Release()
    {
        // One atomic exchange, not a read then a write: of any number of racing calls exactly one takes the
        // non-zero address, so the strategy sees one Deallocate and no double free.
        nint address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
        {
            _strategy.Deallocate((void*)address);
        }
    }
}
