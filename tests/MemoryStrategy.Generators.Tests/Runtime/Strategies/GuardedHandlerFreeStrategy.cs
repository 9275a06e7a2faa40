using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// <c>FaultOnCoreException = false</c> with a <c>[Cleanup]</c>: every call is guarded, and the generated body leaves the
/// call on each of its ways out (a failed allocation, the statistics' common and rare cases, a pointer <c>[Owns]</c>
/// refuses). The allocation core fails on demand; <c>[Owns]</c> owns what this strategy handed out and has not taken back.
/// </summary>
[MemoryStrategy(FaultOnCoreException = false)]
internal sealed unsafe partial class GuardedHandlerFreeStrategy
{
    private readonly HashSet<nint> _live = [];

    public bool Exhausted { get; set; }

    public int CleanupCalls { get; private set; }

    [Allocate]
    private void* AllocateCore(nuint size, StrategyThread thread)
    {
        if (Exhausted)
        {
            return null;
        }

        void* ptr = NativeMemory.Alloc(size);
        lock (_live)
        {
            _live.Add((nint)ptr);
        }

        return ptr;
    }

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        lock (_live)
        {
            _live.Remove((nint)ptr);
        }

        NativeMemory.Free(ptr);
    }

    [Owns]
    private bool OwnsCore(void* ptr)
    {
        lock (_live)
        {
            return _live.Contains((nint)ptr);
        }
    }

    [Cleanup]
    private void CleanupCore() => CleanupCalls++;
}
