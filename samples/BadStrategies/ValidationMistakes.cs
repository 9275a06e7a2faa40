using System;

namespace MemoryStrategy.Samples.BadStrategies;

// expect: MEM3002 -- no [Owns] and TrackAllocations off: foreign pointers reach the core.
[MemoryStrategy]
public sealed unsafe partial class CannotValidate
{
    [Allocate] private void* AllocateCore(nuint size) => null;
    [Deallocate] private void DeallocateCore(void* ptr) { }

    // expect: MEM3001 -- bypasses the generated validation and tracking.
    public void* Sneaky(nuint size) => AllocateCore(size);
}

/// <summary>The C interface's usage example, with every check it makes left out.</summary>
public static unsafe class CarelessCaller
{
    public static void Run(IMemoryStrategy strategy)
    {
        strategy.Validate();                           // expect: MEM3004 -- the answer is ignored.
        byte* ptr = (byte*)strategy.Allocate(1024);    // expect: MEM3003 -- not validated on every path.
        ptr[0] = 42;                                   // expect: MEM3005 -- Allocate may return null.
        strategy.Deallocate(ptr);
        Console.WriteLine(ptr[0]);                     // expect: MEM3006 -- used after it was freed.
    }
}
