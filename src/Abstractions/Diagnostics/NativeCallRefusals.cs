using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// The process-wide counts of calls from C, through a <c>MemoryStrategy</c> struct, that reached no strategy: the
/// struct's handle was disposed (a call after <c>destroy</c>), or the struct is not a live one of the strategy type
/// whose function pointers it holds. No strategy's statistics can count them (there is none behind the struct), so
/// they are counted here, reported by <c>NativeStrategyHandle.RefusedCalls</c>, the
/// <see cref="MemoryStrategyInstruments.RefusedNativeCalls"/> instrument and an event.
/// </summary>
internal static class NativeCallRefusals
{
    private static long s_allocations;
    private static long s_deallocations;

    /// <summary>Allocations refused so far.</summary>
    public static long Allocations => Volatile.Read(ref s_allocations);

    /// <summary>Deallocations refused so far.</summary>
    public static long Deallocations => Volatile.Read(ref s_deallocations);

    /// <summary>Counts a refused allocation.</summary>
    public static void CountAllocation(nint structAddress) => Count(ref s_allocations, structAddress, "allocate");

    /// <summary>Counts a refused deallocation.</summary>
    public static void CountDeallocation(nint structAddress) => Count(ref s_deallocations, structAddress, "deallocate");

    /// <summary>One refusal: an atomic increment (refusals come from any thread, and are rare), then the event.</summary>
    private static void Count(ref long counter, nint structAddress, string operation)
    {
        Interlocked.Increment(ref counter);
        MemoryStrategyEventSource.Log.ReportNativeCallRefused(structAddress, operation);
    }
}
