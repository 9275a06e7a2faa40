using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// The hot-path signatures: both cores take the calling thread's <see cref="StrategyThread"/>, and
/// <c>[Deallocate]</c> returns whether it took the block, so the generated <c>Deallocate</c> never asks <c>[Owns]</c>.
/// Blocks come from the C heap; the set of live blocks is the core's own bookkeeping (under a lock: this is a test
/// double, not a fast strategy). Counts every call so tests can see what reached which core.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 1024)]
internal sealed unsafe partial class OwningCoreStrategy
{
    private readonly object _gate = new();
    private readonly HashSet<nint> _live = [];

    public int OwnsCalls { get; private set; }

    public int DeallocateCalls { get; private set; }

    /// <summary>The <see cref="StrategyThread"/> each core call received, in call order.</summary>
    public List<StrategyThread> ThreadsSeen { get; } = [];

    /// <summary>When set, the next <c>[Deallocate]</c> throws it.</summary>
    public Exception? ThrowOnDeallocate { get; set; }

    [Allocate]
    private void* AllocateCore(nuint size, StrategyThread thread)
    {
        void* block = NativeMemory.Alloc(size);
        lock (_gate)
        {
            ThreadsSeen.Add(thread);
            _live.Add((nint)block);
        }

        // Per-thread state the core keeps in the slot: how many blocks this thread has allocated.
        thread.State = (thread.State as int? ?? 0) + 1;
        return block;
    }

    [Deallocate]
    private bool DeallocateCore(void* ptr, StrategyThread thread)
    {
        lock (_gate)
        {
            DeallocateCalls++;
            ThreadsSeen.Add(thread);
            if (ThrowOnDeallocate is { } exception)
            {
                ThrowOnDeallocate = null;
                throw exception;
            }

            if (!_live.Remove((nint)ptr))
            {
                return false;
            }
        }

        NativeMemory.Free(ptr);
        return true;
    }

    [Owns]
    private bool OwnsCore(void* ptr)
    {
        lock (_gate)
        {
            OwnsCalls++;
            return _live.Contains((nint)ptr);
        }
    }

    [Cleanup]
    private void FreeLiveBlocks()
    {
        lock (_gate)
        {
            foreach (nint block in _live)
            {
                NativeMemory.Free((void*)block);
            }

            _live.Clear();
        }
    }
}
