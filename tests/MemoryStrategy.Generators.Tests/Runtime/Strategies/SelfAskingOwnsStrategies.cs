using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>
/// Strategies whose <c>[Owns]</c> asks their own strategy about the same pointer, through the C interface's validator
/// (which calls <c>Owns</c>): with a <c>[Cleanup]</c> (<c>Owns</c> runs inside a call) and without one. Each records
/// what the nested question was answered.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 256, Name = "SelfAskingGuarded")]
internal sealed unsafe partial class SelfAskingGuardedStrategy
{
    private readonly HashSet<nint> _live = [];

    /// <summary>What the nested validation answered, last time the test ran.</summary>
    public bool? Nested { get; private set; }

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        void* block = NativeMemory.Alloc(size);
        _live.Add((nint)block);
        return block;
    }

    [Deallocate]
    private bool DeallocateCore(void* ptr)
    {
        if (!_live.Remove((nint)ptr))
        {
            return false;
        }

        NativeMemory.Free(ptr);
        return true;
    }

    [Owns]
    private bool OwnsCore(void* ptr)
    {
        Nested = StrategyValidator.ValidateDeallocation(this, ptr);
        return _live.Contains((nint)ptr);
    }

    [Cleanup]
    private void Release()
    {
        foreach (nint block in _live)
        {
            NativeMemory.Free((void*)block);
        }

        _live.Clear();
    }
}

/// <summary>
/// The same question without a <c>[Cleanup]</c> (so its <c>Owns</c> runs outside a call), asked through <c>Owns</c>
/// itself; it owns the last block it handed out.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 256, Name = "SelfAskingUnguarded")]
internal sealed unsafe partial class SelfAskingUnguardedStrategy
{
    private nint _last;

    public bool? Nested { get; private set; }

    [Allocate]
    private void* AllocateCore(nuint size) => (void*)(_last = (nint)NativeMemory.Alloc(size));

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        _last = 0;
        NativeMemory.Free(ptr);
    }

    [Owns]
    private bool OwnsCore(void* ptr)
    {
        Nested = ((IMemoryStrategy)this).Owns(ptr);
        return (nint)ptr == _last;
    }
}
