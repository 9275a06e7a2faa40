using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// The C heap with <c>TrackAllocations = true</c> and no <c>[Owns]</c>: the generated live-pointer registry alone
/// decides ownership. Counts the calls its core receives, and can be told to hand out one block twice.
/// </summary>
[MemoryStrategy(TrackAllocations = true, MaxAllocationSize = 1 << 20)]
internal sealed unsafe partial class TrackedPassThrough
{
    private long _coreAllocations;
    private long _coreFrees;

    /// <summary>When set, the next allocation returns this block again (a corrupt core).</summary>
    public nint RepeatBlock { get; set; }

    public long CoreAllocations => Interlocked.Read(ref _coreAllocations);

    public long CoreFrees => Interlocked.Read(ref _coreFrees);

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        Interlocked.Increment(ref _coreAllocations);
        return RepeatBlock != 0 ? (void*)RepeatBlock : NativeMemory.Alloc(size);
    }

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        Interlocked.Increment(ref _coreFrees);
        NativeMemory.Free(ptr);
    }
}
