using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// <c>FaultOnCoreException = false</c>: the generated methods hold no exception handler, so an exception from a core
/// propagates and leaves the status as it was. Each core throws on demand.
/// </summary>
[MemoryStrategy(FaultOnCoreException = false)]
internal sealed unsafe partial class HandlerFreeStrategy
{
    public Exception? ThrowFromAllocate { get; set; }

    public Exception? ThrowFromDeallocate { get; set; }

    public Exception? ThrowFromOwns { get; set; }

    public Exception? ThrowFromValidate { get; set; }

    [Allocate]
    private void* AllocateCore(nuint size) => ThrowFromAllocate is { } e ? throw e : NativeMemory.Alloc(size);

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        if (ThrowFromDeallocate is { } e)
        {
            throw e;
        }

        NativeMemory.Free(ptr);
    }

    [Owns]
    private bool OwnsCore(void* ptr) => ThrowFromOwns is { } e ? throw e : true;

    [Validate]
    private bool ValidateCore() => ThrowFromValidate is { } e ? throw e : true;
}
