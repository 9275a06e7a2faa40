namespace MemoryStrategy;

/// <summary>
/// How many calls from C reached no strategy and were refused (<see cref="NativeStrategyHandle.RefusedCalls"/>):
/// process-wide counts since the process started.
/// </summary>
/// <param name="Allocations"><c>allocate</c> calls refused (each returned <c>NULL</c>).</param>
/// <param name="Deallocations"><c>deallocate</c> calls refused (each left its pointer as it was).</param>
public readonly record struct RefusedCallCounts(long Allocations, long Deallocations);
