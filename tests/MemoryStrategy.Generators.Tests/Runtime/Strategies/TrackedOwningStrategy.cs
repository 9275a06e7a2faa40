using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// <c>TrackAllocations = true</c> with a <c>bool</c> <c>[Deallocate]</c> that can be told to refuse the next block:
/// the registry decides ownership first, so such a refusal is a disagreement between the registry and the core.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 1024, TrackAllocations = true)]
internal sealed unsafe partial class TrackedOwningStrategy
{
    /// <summary>When set, the next <c>[Deallocate]</c> refuses (returns false) and keeps the block.</summary>
    public bool RefuseNext { get; set; }

    public int DeallocateCalls { get; private set; }

    [Allocate]
    private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

    [Deallocate]
    private bool DeallocateCore(void* ptr)
    {
        DeallocateCalls++;
        if (RefuseNext)
        {
            RefuseNext = false;
            return false;
        }

        NativeMemory.Free(ptr);
        return true;
    }
}
