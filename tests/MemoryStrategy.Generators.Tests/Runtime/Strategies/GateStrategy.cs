using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// A strategy whose <c>[Allocate]</c> can be held inside the core until the test opens a gate, and whose
/// <c>[Cleanup]</c> records whether it ran while a core call was still inside: what a racing <c>Dispose</c> must never do.
/// Its cleanup can be made to wait (<see cref="SleepInCleanup"/>).
/// </summary>
[MemoryStrategy(MaxAllocationSize = 256, Name = "Gate")]
internal sealed unsafe partial class GateStrategy
{
    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private int _inCore;
    private int _cleanups;
    private int _cleanupsDuringACall;

    public int Cleanups => Volatile.Read(ref _cleanups);

    public int CleanupsDuringACall => Volatile.Read(ref _cleanupsDuringACall);

    /// <summary>
    /// Whether the cleanup sleeps before it counts itself (as a cleanup that takes a lock or joins a worker waits): a
    /// <see cref="Thread.Interrupt"/> pending on the disposing thread throws out of it, and it is not counted.
    /// </summary>
    public bool SleepInCleanup { get; init; }

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
        Interlocked.Increment(ref _inCore);
        _entered.Set();
        _gate.Wait();
        void* block = NativeMemory.Alloc(size);
        Interlocked.Decrement(ref _inCore);
        return block;
    }

    [Deallocate]
    private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

    [Cleanup]
    private void CleanupCore()
    {
        if (SleepInCleanup)
        {
            Thread.Sleep(1);
        }

        Interlocked.Increment(ref _cleanups);
        if (Volatile.Read(ref _inCore) != 0)
        {
            Interlocked.Increment(ref _cleanupsDuringACall);
        }
    }
}
