using System.Runtime.InteropServices;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// <c>samples/NativePassThrough</c> without <c>TrackAllocations</c>: the baseline that prices the live-pointer
/// registry. Without <c>[Owns]</c> or tracking it can refuse only null pointers (the analyzers warn, MEM3002), so
/// it is a benchmark fixture, not a strategy to copy.
/// </summary>
[MemoryStrategy(Name = "UntrackedPassThrough", MaxAllocationSize = 1 << 30)]
public sealed unsafe partial class UntrackedPassThroughStrategy
{
    [Allocate]
    private void* AllocateNative(nuint size)
    {
        try
        {
            return NativeMemory.Alloc(size);
        }
        catch (OutOfMemoryException)
        {
            return null;
        }
    }

    [Deallocate]
    private void FreeNative(void* ptr) => NativeMemory.Free(ptr);
}
