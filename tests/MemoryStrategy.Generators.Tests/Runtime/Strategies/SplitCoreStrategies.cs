using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// What both split-core test strategies share: a fast half that serves only when its switch is on, a slow half that
/// serves until its budget runs out, a set of live blocks (under a lock: a test double), and counts of each half's calls.
/// </summary>
internal sealed unsafe class SplitCoreBook
{
    private readonly object _gate = new();
    private readonly HashSet<nint> _live = [];

    /// <summary>Whether the fast halves serve; off, they decline every call.</summary>
    public bool FastServes { get; set; } = true;

    /// <summary>How many more blocks the slow allocation half hands out before it reports exhaustion.</summary>
    public int SlowBudget { get; set; } = int.MaxValue;

    public int FastAllocations { get; private set; }

    public int SlowAllocations { get; private set; }

    public int FastFrees { get; private set; }

    public int SlowFrees { get; private set; }

    public void* TryAllocateFast(nuint size)
    {
        lock (_gate)
        {
            FastAllocations++;
            return FastServes ? Take(size) : null;
        }
    }

    public void* AllocateSlowly(nuint size)
    {
        lock (_gate)
        {
            SlowAllocations++;
            if (SlowBudget == 0)
            {
                return null;
            }

            SlowBudget--;
            return Take(size);
        }
    }

    /// <summary>The fast free: takes a live block when it serves; declines (changes nothing) otherwise, or for a block it does not know.</summary>
    public bool TryFreeFast(void* ptr)
    {
        lock (_gate)
        {
            FastFrees++;
            return FastServes && Give(ptr);
        }
    }

    /// <summary>The slow free: takes a live block, refuses anything else.</summary>
    public bool FreeSlowly(void* ptr)
    {
        lock (_gate)
        {
            SlowFrees++;
            return Give(ptr);
        }
    }

    public bool IsLive(void* ptr)
    {
        lock (_gate)
        {
            return _live.Contains((nint)ptr);
        }
    }

    private void* Take(nuint size)
    {
        void* block = NativeMemory.Alloc(size);
        _live.Add((nint)block);
        return block;
    }

    private bool Give(void* ptr)
    {
        if (!_live.Remove((nint)ptr))
        {
            return false;
        }

        NativeMemory.Free(ptr);
        return true;
    }
}

/// <summary>
/// Split cores without fault handlers, with a cleanup (so calls are guarded): the slow halves run out of line, with the
/// statistics and the end of the call.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 1024, FaultOnCoreException = false)]
internal sealed unsafe partial class SplitCoreStrategy
{
    /// <summary>How many times the cleanup ran.</summary>
    public int Cleanups { get; private set; }

    public SplitCoreBook Book { get; } = new();

    [Allocate]
    private void* TryAllocateFast(nuint size, StrategyThread thread) => Book.TryAllocateFast(size);

    [AllocateSlow]
    private void* AllocateSlowly(nuint size, StrategyThread thread) => Book.AllocateSlowly(size);

    [Deallocate]
    private bool TryFreeFast(void* ptr, StrategyThread thread) => Book.TryFreeFast(ptr);

    [DeallocateSlow]
    private bool FreeSlowly(void* ptr, StrategyThread thread) => Book.FreeSlowly(ptr);

    [Owns]
    private bool OwnsCore(void* ptr) => Book.IsLive(ptr);

    [Cleanup]
    private void CleanupCore() => Cleanups++;
}

/// <summary>The same split cores under the default fault handlers: the slow halves are called in line.</summary>
[MemoryStrategy(MaxAllocationSize = 1024)]
internal sealed unsafe partial class GuardedSplitCoreStrategy
{
    public SplitCoreBook Book { get; } = new();

    [Allocate]
    private void* TryAllocateFast(nuint size) => Book.TryAllocateFast(size);

    [AllocateSlow]
    private void* AllocateSlowly(nuint size) => Book.AllocateSlowly(size);

    [Deallocate]
    private bool TryFreeFast(void* ptr) => Book.TryFreeFast(ptr);

    [DeallocateSlow]
    private bool FreeSlowly(void* ptr) => Book.FreeSlowly(ptr);

    [Owns]
    private bool OwnsCore(void* ptr) => Book.IsLive(ptr);
}
