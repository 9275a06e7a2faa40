using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

// The pool's structural check and its end: Dispose, the finalizer of a pool never disposed, and the count of the blocks
// still allocated then.
internal sealed unsafe partial class FixedBlockPool
{
    /// <summary>
    /// Checks the pool's structural invariants in O(1): not disposed, the fresh counter within the slab, and the
    /// shared stack's top a block that was handed out before. Safe to call while other threads allocate.
    /// </summary>
    public bool CheckInvariants()
    {
        // Read the top before the counter. A block on the shared stack was taken from the fresh counter (which
        // only grows) before the push that published it, and our acquire read of the head follows that push; so
        // the counter read afterwards is above the top's index. Reading them the other way round could see a
        // block taken and freed after the counter was read, and fault a healthy pool.
        int top = _shared.TopIndex;
        long fresh = Volatile.Read(ref _fresh.Value);
        return !IsDisposed && fresh >= 0 && fresh <= _blockCount && top >= -1 && top < fresh;
    }

    /// <summary>
    /// Frees the slab and every cache, and records in <see cref="LeakedBlocks"/> the blocks still allocated.
    /// Idempotent. It must not overlap any other call on the pool; every call after it is refused.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        LeakedBlocks = CountAllocatedBlocks();
        ReleaseNativeMemory();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A pool that was never disposed still returns its native memory once nothing can reach it. A thread's
    /// remembered cache (its <see cref="PoolThread"/>) holds no reference to the pool, so it does not keep the pool
    /// reachable; nothing can call the pool then, and the caches it releases are ones no call can reach.
    /// </summary>
    ~FixedBlockPool()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ReleaseNativeMemory();
        }
    }

    private void ReleaseNativeMemory()
    {
        byte* states = _fast.States;
        _fast = default;
        foreach (PoolThread cache in Interlocked.Exchange(ref _caches, []))
        {
            cache.Release();
        }

        if (_ownsSlab)
        {
            NativeMemory.AlignedFree(_slab);
        }
        NativeMemory.AlignedFree(states);
        NativeMemory.AlignedFree(_links);
    }

    private int CountAllocatedBlocks()
    {
        long handedOut = Volatile.Read(ref _fresh.Value);
        int allocated = 0;
        for (long i = 0; i < handedOut; i++)
        {
            allocated += _fast.States[i];
        }

        return allocated;
    }
}
