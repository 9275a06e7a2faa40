using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// Neither <c>[Owns]</c> nor <c>TrackAllocations</c>: the generated wrapper can refuse only null (the analyzers warn,
/// MEM3002). Records what reached its core instead of freeing it. The default limit and name.
/// </summary>
[MemoryStrategy]
internal sealed unsafe partial class UncheckedStrategy
{
    public List<nint> Freed { get; } = [];

    [Allocate]
    private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

    [Deallocate]
    private void DeallocateCore(void* ptr) => Freed.Add((nint)ptr);
}
