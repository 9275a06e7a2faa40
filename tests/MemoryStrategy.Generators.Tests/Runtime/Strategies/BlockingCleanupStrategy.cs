using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// A strategy whose <c>[Allocate]</c> can be held inside the core until the test opens a gate, and whose
/// <c>[Cleanup]</c> blocks briefly (a sleep, as a cleanup that takes a lock or joins a worker would wait): a
/// <see cref="Thread.Interrupt"/> pending on the disposing thread throws out of it.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 256, Name = "BlockingCleanup")]
internal sealed unsafe partial class BlockingCleanupStrategy
{
    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private int _cleanupsCompleted;

    /// <summary>How many cleanups ran to their end.</summary>
    public int CleanupsCompleted => Volatile.Read(ref _cleanupsCompleted);

    /// <summary>Makes the next allocation wait inside the core until <see cref="Open"/>.</summary>
    public void Close()
    {
        _entered.Reset();
        _gate.Reset();
    }

    public void WaitUntilInsideTheCore() => _entered.Wait();

    public void Open() => _gate.Set();

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        _entered.Set();
        _gate.Wait();
        return NativeMemory.Alloc(size);
    }

    [Deallocate]
    private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

    [Cleanup]
    private void CleanupCore()
    {
        Thread.Sleep(1);
        Interlocked.Increment(ref _cleanupsCompleted);
    }
}
