using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// A strategy whose core does whatever the test tells it (return null, throw, fail its invariants) and counts every
/// call, so a test can tell which calls the generated wrappers let through to the core. Every optional marker.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 256, Name = "Scripted")]
internal sealed unsafe partial class ScriptedStrategy
{
    private readonly ConcurrentDictionary<nint, byte> _live = new();
    private int _allocateCalls;
    private int _deallocateCalls;
    private int _ownsCalls;
    private int _validateCalls;
    private int _cleanupCalls;

    public bool ReturnNull { get; set; }

    public bool ThrowOnAllocate { get; set; }

    public bool ThrowOnDeallocate { get; set; }

    public bool ThrowOnValidate { get; set; }

    public bool InvariantsHold { get; set; } = true;

    public int AllocateCalls => Volatile.Read(ref _allocateCalls);

    public int DeallocateCalls => Volatile.Read(ref _deallocateCalls);

    public int OwnsCalls => Volatile.Read(ref _ownsCalls);

    public int ValidateCalls => Volatile.Read(ref _validateCalls);

    public int CleanupCalls => Volatile.Read(ref _cleanupCalls);

    public int LiveBlocks => _live.Count;

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        Interlocked.Increment(ref _allocateCalls);
        if (ThrowOnAllocate)
        {
            throw new CoreException("allocate");
        }

        if (ReturnNull)
        {
            return null;
        }

        void* block = NativeMemory.Alloc(size);
        _live[(nint)block] = 0;
        return block;
    }

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        Interlocked.Increment(ref _deallocateCalls);
        if (ThrowOnDeallocate)
        {
            throw new CoreException("deallocate");
        }

        if (_live.TryRemove((nint)ptr, out _))
        {
            NativeMemory.Free(ptr);
        }
    }

    [Owns]
    private bool OwnsCore(void* ptr)
    {
        Interlocked.Increment(ref _ownsCalls);
        return _live.ContainsKey((nint)ptr);
    }

    [Validate]
    private bool ValidateCore()
    {
        Interlocked.Increment(ref _validateCalls);
        if (ThrowOnValidate)
        {
            throw new CoreException("validate");
        }

        return InvariantsHold;
    }

    [Cleanup]
    private void CleanupCore()
    {
        Interlocked.Increment(ref _cleanupCalls);
        foreach (nint block in _live.Keys)
        {
            NativeMemory.Free((void*)block);
        }

        _live.Clear();
    }
}

/// <summary>What a scripted core throws, so a test can tell it from anything the wrappers might throw.</summary>
internal sealed class CoreException(string operation) : Exception($"The core's {operation} failed on purpose.");
