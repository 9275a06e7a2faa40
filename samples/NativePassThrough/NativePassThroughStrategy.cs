using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// The smallest useful strategy: every request goes straight to <see cref="NativeMemory"/> (the C runtime's
/// <c>malloc</c>/<c>free</c>). It has no <c>[Owns]</c> of its own; <c>TrackAllocations = true</c> makes the
/// generated code keep a lock-free registry of live pointers, so a double free or a foreign pointer is refused
/// before it reaches <c>free</c> — validation the C allocator cannot give.
/// </summary>
/// <remarks>
/// Blocks still allocated at <c>Dispose</c> go back to <c>free</c> (the generated <c>Dispose</c> of a
/// <c>TrackAllocations</c> strategy hands every block in its registry to the core), so nothing leaks; the statistics
/// still report them as live allocations, the caller's leak.
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
