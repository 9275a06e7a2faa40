using System.Runtime.CompilerServices;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks.Experiments;

/// <summary>
/// The pool through its <c>ForCurrentThread()</c> scope (no lookup in the loop) with a thread-static read added to
/// every call, its result only tested: what the read's instructions and call cost when nothing waits for them.
/// </summary>
internal readonly unsafe ref struct ScopeWithThreadStaticRead : INativeAllocator
{
    private readonly MemoryPoolStrategy.ThreadScope _scope;

    public ScopeWithThreadStaticRead(MemoryPoolStrategy strategy) => _scope = strategy.ForCurrentThread();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        // Thread.CurrentThread is a [ThreadStatic] read of the runtime's own, reached as the tracker's slots are.
        if (Thread.CurrentThread is null)
        {
            Unreachable();
        }

        return _scope.Allocate(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        if (Thread.CurrentThread is null)
        {
            Unreachable();
        }

        _scope.Deallocate(ptr);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Unreachable() => throw new InvalidOperationException("a thread without a Thread object");
}

/// <summary>
/// The same scope with the generated code's whole lookup added to every call (the thread's slots, the strategy's
/// slot, the key compare: <see cref="StatusTrackerHandle.ThreadIn"/>, on a handle of the strategy's tracker), its
/// result only compared with the scope's object. The same lookup as the generated <c>Allocate</c> and
/// <c>Deallocate</c> make, but the pool's work does not use its result: against the generated pair, whose work does,
/// this row separates the lookup's own cost from what it does to the code around it.
/// </summary>
internal readonly unsafe ref struct ScopeWithLookupBeside : INativeAllocator
{
    private readonly MemoryPoolStrategy.ThreadScope _scope;
    private readonly StatusTrackerHandle _handle;
    private readonly StrategyThread _thread;

    public ScopeWithLookupBeside(MemoryPoolStrategy strategy)
    {
        _scope = strategy.ForCurrentThread();
        _handle = new StatusTrackerHandle(strategy.StatusTracker);
        _thread = _handle.CurrentThread;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        if (!ReferenceEquals(StatusTrackerHandle.ThreadIn(StatusTrackerHandle.CallerSlots, in _handle), _thread))
        {
            Unreachable();
        }

        return _scope.Allocate(size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        if (!ReferenceEquals(StatusTrackerHandle.ThreadIn(StatusTrackerHandle.CallerSlots, in _handle), _thread))
        {
            Unreachable();
        }

        _scope.Deallocate(ptr);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Unreachable() => throw new InvalidOperationException("the lookup found another object");
}
