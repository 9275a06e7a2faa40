using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// A guarded strategy (it has a <c>[Cleanup]</c>) whose cores note the calling thread's <see cref="StrategyThread.CallDepth"/>,
/// with fault handlers or without them: what a core sees of its call's mark, whichever entry point reached it. The
/// allocation core throws on demand.
/// </summary>
[MemoryStrategy(Name = "CallDepthProbe")]
internal sealed unsafe partial class CallDepthProbe
{
    private int _depthSeen = -1;

    public bool ThrowOnAllocate { get; set; }

    /// <summary>The call depth the last core saw on its thread's object; -1 before any.</summary>
    public int DepthSeen => Volatile.Read(ref _depthSeen);

    [Allocate]
    private void* AllocateCore(nuint size, StrategyThread thread)
    {
        Volatile.Write(ref _depthSeen, thread.CallDepth);
        if (ThrowOnAllocate)
        {
            throw new CoreException("allocate");
        }

        return NativeMemory.Alloc(size);
    }

    [Deallocate]
    private void DeallocateCore(void* ptr, StrategyThread thread)
    {
        Volatile.Write(ref _depthSeen, thread.CallDepth);
        NativeMemory.Free(ptr);
    }

    [Cleanup]
    private void CleanupCore()
    {
    }
}

/// <summary><see cref="CallDepthProbe"/> without fault handlers (<c>FaultOnCoreException = false</c>).</summary>
[MemoryStrategy(Name = "CallDepthProbeWithoutHandlers", FaultOnCoreException = false)]
internal sealed unsafe partial class CallDepthProbeWithoutHandlers
{
    private int _depthSeen = -1;

    /// <summary>The call depth the last core saw on its thread's object; -1 before any.</summary>
    public int DepthSeen => Volatile.Read(ref _depthSeen);

    [Allocate]
    private void* AllocateCore(nuint size, StrategyThread thread)
    {
        Volatile.Write(ref _depthSeen, thread.CallDepth);
        return NativeMemory.Alloc(size);
    }

    [Deallocate]
    private void DeallocateCore(void* ptr, StrategyThread thread)
    {
        Volatile.Write(ref _depthSeen, thread.CallDepth);
        NativeMemory.Free(ptr);
    }

    [Cleanup]
    private void CleanupCore()
    {
    }
}
