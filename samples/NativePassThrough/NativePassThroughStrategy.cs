using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// The smallest useful strategy: every request goes straight to <see cref="NativeMemory"/> (the C runtime's
/// <c>malloc</c>/<c>free</c>). It has no <c>[Owns]</c> of its own; <c>TrackAllocations = true</c> makes the
/// generated code keep a lock-free registry of live pointers, so a double free or a foreign pointer is refused
/// before it reaches <c>free</c> — validation the C allocator cannot give.
/// </summary>
/// <remarks>
/// Blocks still allocated at <c>Dispose</c> are not freed (the C allocator owns them); they are reported as the
/// statistics' live allocations.
/// </remarks>
[MemoryStrategy(Name = "NativePassThrough", TrackAllocations = true, MaxAllocationSize = 1 << 30)]
public sealed unsafe partial class NativePassThroughStrategy
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
            // The contract: exhaustion is a null (the strategy turns Degraded), never an exception.
            return null;
        }
    }

    [Deallocate]
    private void FreeNative(void* ptr) => NativeMemory.Free(ptr);
}
