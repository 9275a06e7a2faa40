using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Abstractions.Tests;

/// <summary>
/// A hand-written <see cref="IMemoryStrategy"/> for testing the contract types on their own, without the
/// generator: native blocks, a dictionary of live pointers, and a switch that makes its invariant check fail.
/// </summary>
internal sealed unsafe class FakeStrategy : IMemoryStrategy
{
    private readonly ConcurrentDictionary<nint, byte> _live = new();

    public FakeStrategy(nuint maxAllocationSize = 4096) => MaxAllocationSize = maxAllocationSize;

    public bool InvariantsHold { get; set; } = true;

    public nuint MaxAllocationSize { get; }

    public StatusTracker StatusTracker { get; } = new("Fake");

    public void* Allocate(nuint size)
    {
        if (!StrategyValidator.ValidateAllocation(this, size))
        {
            StatusTracker.RecordRefusedAllocation();
            return null;
        }

        void* ptr = NativeMemory.Alloc(size);
        _live[(nint)ptr] = 0;
        StatusTracker.RecordAllocation(size);
        return ptr;
    }

    public void Deallocate(void* ptr)
    {
        if (ptr is null || !_live.TryRemove((nint)ptr, out _))
        {
            StatusTracker.RecordRefusedDeallocation();
            return;
        }

        NativeMemory.Free(ptr);
        StatusTracker.RecordDeallocation();
    }

    public StrategyStatus GetStatus() => StatusTracker.Status;

    public bool Validate()
    {
        if (StatusTracker.Status == StrategyStatus.Uninitialized)
        {
            return StatusTracker.TryInitialize(InvariantsHold);
        }

        return StatusTracker.IsServing && InvariantsHold;
    }

    public bool Owns(void* ptr) => ptr is not null && _live.ContainsKey((nint)ptr);

    public void Dispose()
    {
        if (StatusTracker.TryDispose())
        {
            foreach (nint ptr in _live.Keys)
            {
                NativeMemory.Free((void*)ptr);
            }

            _live.Clear();
        }
    }
}
