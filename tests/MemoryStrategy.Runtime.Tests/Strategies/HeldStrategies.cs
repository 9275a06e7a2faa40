using System.Runtime.InteropServices;

namespace MemoryStrategy.Runtime.Tests.Strategies;

// A holder and the strategy it holds, written as a user would (attached in the constructor, routed to through the
// nested entry points, disposed by the holder's cleanup), for the tests of what a composition does around Dispose.

/// <summary>
/// An inner strategy that notes every call its cores take after its cleanup ran: memory a real strategy would have
/// released by then (a pool's slab). No registry, so a free reaches the core whatever the cleanup did.
/// </summary>
[MemoryStrategy(Name = "Runtime.Tests.HeldInner", MaxAllocationSize = 256)]
internal sealed unsafe partial class HeldInner
{
    private int _cleanedUp;
    private int _callsAfterCleanup;

    /// <summary>Core calls made after the cleanup: each would have used released memory.</summary>
    public int CallsAfterCleanup => Volatile.Read(ref _callsAfterCleanup);

    /// <summary>Whether the cleanup has run.</summary>
    public bool CleanedUp => Volatile.Read(ref _cleanedUp) != 0;

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        NoteCall();
        return NativeMemory.Alloc(size);
    }

    [Deallocate]
    private bool DeallocateCore(void* ptr)
    {
        NoteCall();
        NativeMemory.Free(ptr);
        return true;
    }

    [Owns]
    private bool OwnsCore(void* ptr) => !CleanedUp;

    [Cleanup]
    private void CleanupCore() => Volatile.Write(ref _cleanedUp, 1);

    private void NoteCall()
    {
        if (CleanedUp)
        {
            Interlocked.Increment(ref _callsAfterCleanup);
        }
    }
}

/// <summary>
/// Holds one <see cref="HeldInner"/>. Its free can be held inside the call (<see cref="HoldNextFree"/>) until the
/// test lets it go, so a test can act while a call of the holder is in flight.
/// </summary>
[MemoryStrategy(Name = "Runtime.Tests.Holder", MaxAllocationSize = 256)]
internal sealed unsafe partial class Holder
{
    private readonly HeldInner _inner;
    private volatile bool _holdNextFree;

    public Holder(HeldInner inner)
    {
        _inner = inner;
        _inner.StatusTracker.AttachTo(StatusTracker, "inner");
        if (!_inner.Validate())
        {
            throw new InvalidOperationException("The inner strategy cannot serve.");
        }
    }

    /// <summary>Set when a held free is inside the call.</summary>
    public ManualResetEventSlim FreeEntered { get; } = new();

    /// <summary>Lets a held free go on.</summary>
    public ManualResetEventSlim ReleaseFree { get; } = new();

    /// <summary>Makes the next free wait inside the call, before it reaches the inner strategy.</summary>
    public void HoldNextFree() => _holdNextFree = true;

    [Allocate]
    private void* AllocateCore(nuint size, StrategyThread thread) =>
        _inner.AllocateNested(_inner.StatusTracker.ThreadFrom(thread), size, recordStatistics: true);

    [Deallocate]
    private bool DeallocateCore(void* ptr, StrategyThread thread)
    {
        if (_holdNextFree)
        {
            _holdNextFree = false;
            FreeEntered.Set();
            ReleaseFree.Wait();
        }

        return _inner.DeallocateNested(_inner.StatusTracker.ThreadFrom(thread), ptr, recordStatistics: true);
    }

    [Owns]
    private bool OwnsCore(void* ptr) => _inner.OwnsNested(ptr);

    [Validate]
    private bool InnerValid() => StatusTracker.FailedInnerStrategies == 0;

    [Cleanup]
    private void CleanupCore() => _inner.Dispose();
}
