using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Quickstart;

/// <summary>
/// A minimal hand-written <see cref="IMemoryStrategy"/> over <see cref="NativeMemory"/>: everything the source
/// generator will write for you, written out by hand, so the seed's examples can run before it exists.
/// </summary>
internal sealed unsafe class HandWrittenStrategy : IMemoryStrategy
{
    private readonly ConcurrentDictionary<nint, nuint> _live = new();

    public nuint MaxAllocationSize => 1 << 20;

    public StatusTracker StatusTracker { get; } = new(nameof(HandWrittenStrategy));

    public void* Allocate(nuint size)
    {
        if (!StrategyValidator.ValidateAllocation(this, size))
        {
            StatusTracker.RecordRefusedAllocation();
            return null;
        }

        void* ptr = NativeMemory.Alloc(size);
        if (ptr is null)
        {
            StatusTracker.RecordFailedAllocation();
            return null;
        }

        _live[(nint)ptr] = size;
        StatusTracker.RecordAllocation(size);
        return ptr;
    }

    public void Deallocate(void* ptr)
    {
        // Removing first makes a racing double free lose: only one caller gets the entry.
        if (ptr is null || !_live.TryRemove((nint)ptr, out _))
        {
            StatusTracker.RecordRefusedDeallocation();
            return;
        }

        NativeMemory.Free(ptr);
        StatusTracker.RecordDeallocation();
    }

    public StrategyStatus GetStatus() => StatusTracker.Status;

    public bool Validate() =>
        StatusTracker.Status == StrategyStatus.Uninitialized ? StatusTracker.TryInitialize(true) : StatusTracker.IsServing;

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
