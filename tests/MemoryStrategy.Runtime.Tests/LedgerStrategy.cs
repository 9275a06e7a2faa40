using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Runtime.Tests;

/// <summary>
/// A hand-written strategy that keeps a ledger of its live blocks (the generator is not used by these tests). It
/// refuses with the right <see cref="DeallocationRefusal"/>, can be capped at a number of live blocks to simulate
/// exhaustion, and can be faulted on demand.
/// </summary>
internal sealed unsafe class LedgerStrategy : IMemoryStrategy
{
    private readonly ConcurrentDictionary<nint, nuint> _ledger = new();
    private readonly int _liveBlockLimit;

    public LedgerStrategy(string name, nuint maxAllocationSize = 1 << 20, int liveBlockLimit = int.MaxValue)
    {
        StatusTracker = new StatusTracker(name);
        MaxAllocationSize = maxAllocationSize;
        _liveBlockLimit = liveBlockLimit;
    }

    /// <summary>A name no other test uses: the meter and the event source are process-wide.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public nuint MaxAllocationSize { get; }

    public StatusTracker StatusTracker { get; }

    public StrategyStatistics Statistics => StatusTracker.GetStatistics();

    public void* Allocate(nuint size)
    {
        if (!Validate() || !StrategyValidator.IsValidSize(size, MaxAllocationSize))
        {
            StatusTracker.RecordRefusedAllocation();
            return null;
        }

        if (_ledger.Count >= _liveBlockLimit)
        {
            StatusTracker.RecordFailedAllocation();
            return null;
        }

        void* block = NativeMemory.Alloc(size);
        _ledger[(nint)block] = size;
        StatusTracker.RecordAllocation(size);
        return block;
    }

    public void Deallocate(void* ptr)
    {
        DeallocationRefusal? refusal = ptr is null ? DeallocationRefusal.NullPointer
            : StatusTracker.Status == StrategyStatus.Disposed ? DeallocationRefusal.StrategyDisposed
            : !_ledger.TryRemove((nint)ptr, out _) ? DeallocationRefusal.NotOwned
            : null;
        if (refusal is { } reason)
        {
            StatusTracker.RecordRefusedDeallocation(reason);
            return;
        }

        NativeMemory.Free(ptr);
        StatusTracker.RecordDeallocation();
    }

    public StrategyStatus GetStatus() => StatusTracker.Status;

    public bool Validate() =>
        StatusTracker.Status == StrategyStatus.Uninitialized ? StatusTracker.TryInitialize(invariantsHold: true) : StatusTracker.IsServing;

    public bool Owns(void* ptr) => _ledger.ContainsKey((nint)ptr);

    public void Dispose()
    {
        if (StatusTracker.TryDispose())
        {
            foreach (nint block in _ledger.Keys)
            {
                NativeMemory.Free((void*)block);
            }
        }
    }
}
