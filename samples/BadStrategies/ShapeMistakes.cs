namespace MemoryStrategy.Samples.BadStrategies;

// expect: MEM1001 -- the generator can only complete a partial class.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe class NotPartial
{
    [Allocate] private void* AllocateCore(nuint size) => null;
    [Deallocate] private void DeallocateCore(void* ptr) { }
}

// expect: MEM1002 -- no [Deallocate] core.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class NoDeallocate
{
    [Allocate] private void* AllocateCore(nuint size) => null;
}

// expect: MEM1003 -- [Allocate] takes nuint, not int.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class WrongSignature
{
    [Allocate] private void* AllocateCore(int size) => null;
    [Deallocate] private void DeallocateCore(void* ptr) { }
}

// expect: MEM1004 -- two [Allocate] cores.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class TwoAllocates
{
    [Allocate] private void* Small(nuint size) => null;
    [Allocate] private void* Large(nuint size) => null;
    [Deallocate] private void DeallocateCore(void* ptr) { }
}

// expect: MEM1005 -- generic strategies are not supported.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class GenericPool<T>
{
    [Allocate] private void* AllocateCore(nuint size) => null;
    [Deallocate] private void DeallocateCore(void* ptr) { }
}

// expect: MEM1006 -- Dispose is generated; release memory in a [Cleanup] method.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class DeclaresDispose
{
    [Allocate] private void* AllocateCore(nuint size) => null;
    [Deallocate] private void DeallocateCore(void* ptr) { }
    public void Dispose() { }
}

// expect: MEM1007 -- the class attribute was forgotten.
public sealed unsafe class ForgotTheAttribute
{
    [Allocate] private void* AllocateCore(nuint size) => null;
}

// expect: MEM1008 -- a C caller cannot pass a string: no constructor can back memory_pool_create.
[MemoryStrategy(TrackAllocations = true, NativeExport = "named_pool")]
public sealed unsafe partial class NamedPool
{
    public NamedPool(string name) => _ = name;

    [Allocate] private void* AllocateCore(nuint size) => null;
    [Deallocate] private void DeallocateCore(void* ptr) { }
}

// expect: MEM1009 -- it holds a strategy (its fallback) but has no [Cleanup] to dispose it with itself.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class LeakyComposite
{
    private readonly IMemoryStrategy _fallback;

    public LeakyComposite(IMemoryStrategy fallback) => _fallback = fallback;

    [Allocate] private void* AllocateCore(nuint size) => _fallback.Allocate(size);
    [Deallocate] private void DeallocateCore(void* ptr) => _fallback.Deallocate(ptr);
}

// expect: MEM1010 -- it disposes its fallback but never attaches it, so anyone may dispose the fallback under it.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class UnattachedComposite
{
    private readonly IMemoryStrategy _fallback;

    public UnattachedComposite(IMemoryStrategy fallback) => _fallback = fallback;

    [Allocate] private void* AllocateCore(nuint size) => _fallback.Allocate(size);
    [Deallocate] private void DeallocateCore(void* ptr) => _fallback.Deallocate(ptr);
    [Cleanup] private void DisposeFallback() => _fallback.Dispose();
}

/// <summary>Where the composite below keeps its inner strategies: a helper object of its own.</summary>
internal sealed class CompositeState
{
    public IMemoryStrategy Fallback = null!;
    public int Routed;
}

// expect: MEM1010 -- its fallback lives in a helper object (_state.Fallback) that nothing attaches.
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class UnattachedStateComposite
{
    private readonly CompositeState _state = new();

    public UnattachedStateComposite(IMemoryStrategy fallback) => _state.Fallback = fallback;

    [Allocate] private void* AllocateCore(nuint size) => _state.Fallback.Allocate(size);
    [Deallocate] private void DeallocateCore(void* ptr) => _state.Fallback.Deallocate(ptr);
    [Cleanup] private void DisposeFallback() => _state.Fallback.Dispose();
}

/// <summary>A well-formed strategy, held by the composite below.</summary>
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class BlockSource
{
    [Allocate] private void* AllocateCore(nuint size) => System.Runtime.InteropServices.NativeMemory.Alloc(size);
    [Deallocate] private void DeallocateCore(void* ptr) => System.Runtime.InteropServices.NativeMemory.Free(ptr);
}

/// <summary>Holds, attaches and disposes its inner strategy, but calls it through its public entries.</summary>
[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class DoublePayingComposite
{
    private readonly BlockSource _source = new();

    public DoublePayingComposite() => _source.StatusTracker.AttachTo(StatusTracker, "source");

    [Allocate] private void* AllocateCore(nuint size) => _source.Allocate(size); // expect: MEM1011 -- a second lookup, gate and record per call; AllocateNested skips them.
    [Deallocate] private void DeallocateCore(void* ptr) => _source.Deallocate(ptr); // expect: MEM1011
    [Cleanup] private void DisposeSource() => _source.Dispose();
}

/// <summary>A core that calls its own strategy's public entry: it re-enters the wrapper around itself.</summary>
[MemoryStrategy]
public sealed unsafe partial class SelfCallingStrategy
{
    [Allocate] private void* AllocateCore(nuint size) => size > 64 ? Allocate(64) : System.Runtime.InteropServices.NativeMemory.Alloc(size); // expect: MEM1012 -- Allocate re-enters the wrapper around this core: the request is looked up, gated and counted twice (with Allocate(size), without end).
    [Deallocate] private void DeallocateCore(void* ptr) => System.Runtime.InteropServices.NativeMemory.Free(ptr);
}
