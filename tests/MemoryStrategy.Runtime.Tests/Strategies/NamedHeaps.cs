using System.Runtime.InteropServices;

namespace MemoryStrategy.Runtime.Tests.Strategies;

// Generated strategies whose names no other test uses: the meter and the event source are process-wide, and a
// generated strategy's name is fixed by its attribute, so each diagnostics test gets a type of its own.

/// <summary>Read by the meter in one test only.</summary>
[MemoryStrategy(Name = "Runtime.Tests.MeteredHeap", TrackAllocations = true)]
internal sealed unsafe partial class MeteredHeap
{
    [Allocate]
    private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

    [Deallocate]
    private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
}

/// <summary>Traced by the event source in one test only.</summary>
[MemoryStrategy(Name = "Runtime.Tests.TracedHeap", TrackAllocations = true)]
internal sealed unsafe partial class TracedHeap
{
    [Allocate]
    private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

    [Deallocate]
    private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

    [Validate]
    private bool InvariantsHold() => !BreakInvariants;

    /// <summary>Makes the next validation fail, which faults the strategy.</summary>
    public bool BreakInvariants { get; set; }
}
