using System.Runtime.InteropServices;

namespace MemoryStrategy.Coyote.Tests;

/// <summary>A generated pass-through with the live-pointer registry: the generated wrappers under Coyote.</summary>
[MemoryStrategy(TrackAllocations = true, MaxAllocationSize = 1024)]
internal sealed unsafe partial class TrackedHeap
{
    private long _outstanding;

    public long Outstanding => Interlocked.Read(ref _outstanding);

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        Interlocked.Increment(ref _outstanding);
        return NativeMemory.Alloc(size);
    }

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        Interlocked.Decrement(ref _outstanding);
        NativeMemory.Free(ptr);
    }
}

/// <summary>The strategy's pointer API as addresses, so async test bodies (which cannot be unsafe) can use it.</summary>
internal static unsafe class AddressApi
{
    public static nint AllocateAddress(this IMemoryStrategy strategy, nuint size) => (nint)strategy.Allocate(size);

    public static void Free(this IMemoryStrategy strategy, nint block) => strategy.Deallocate((void*)block);

    public static bool OwnsAddress(this IMemoryStrategy strategy, nint block) => strategy.Owns((void*)block);
}
