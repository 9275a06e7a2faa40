using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// One thread's counters for one <see cref="StatusTracker"/>. Only the owning thread writes them (plain stores:
/// single writer, so no atomic instruction is needed); readers sum all stripes with volatile reads. 64-bit
/// aligned stores are never torn on the 64-bit platforms .NET 10 supports.
/// </summary>
/// <remarks>
/// The counters sit in a cache line of their own (offsets 64..127 of the fields, padding on both sides), so two
/// threads' stripes never share a line even when the GC places them next to each other.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal sealed class StatisticsStripe
{
    /// <summary>
    /// Identifies the tracker these counters belong to; read on every call to find the thread's cached stripe. A key
    /// object rather than the tracker itself, so a stripe cached in a thread-static does not keep the tracker alive.
    /// </summary>
    [FieldOffset(0)] public readonly object TrackerKey;

    /// <summary>The thread that writes this stripe. Replaced (by CAS) only when the owner has exited.</summary>
    [FieldOffset(8)] public Thread Owner;

    [FieldOffset(64)] public long Allocations;
    [FieldOffset(72)] public long Deallocations;
    [FieldOffset(80)] public long FailedAllocations;
    [FieldOffset(88)] public long RefusedAllocations;
    [FieldOffset(96)] public long RefusedDeallocations;
    [FieldOffset(104)] public long BytesRequested;

    /// <summary>The highest <c>Allocations - Deallocations</c> this stripe has seen: the exact peak while it is the only stripe.</summary>
    [FieldOffset(112)] public long LocalPeak;

    public StatisticsStripe(object trackerKey, Thread owner)
    {
        TrackerKey = trackerKey;
        Owner = owner;
    }
}
