using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// Lowers its limit at construction with the generated <c>LimitMaxAllocationSize</c>, as a pool whose block size is a
/// constructor argument does. Counts the sizes that reach its core.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 4096)]
internal sealed unsafe partial class LimitedStrategy
{
    public LimitedStrategy(nuint limit) => LimitMaxAllocationSize(limit);

    public List<nuint> SizesServed { get; } = [];

    /// <summary>Calls the generated method after construction, to test its guard.</summary>
    public void LimitAgain(nuint limit) => LimitMaxAllocationSize(limit);

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        SizesServed.Add(size);
        return NativeMemory.Alloc(size);
    }

    [Deallocate]
    private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
}
