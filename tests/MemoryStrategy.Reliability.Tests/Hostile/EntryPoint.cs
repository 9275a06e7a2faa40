namespace MemoryStrategy.Reliability.Tests.Hostile;

/// <summary>
/// A way into a strategy: its managed API or the C vtable. The hostile table runs through each; the managed
/// <see cref="Strategy"/> stays at hand as the oracle (<see cref="IMemoryStrategy.Owns"/>, statistics).
/// </summary>
internal abstract unsafe class EntryPoint(IMemoryStrategy strategy, Func<IMemoryStrategy> createSibling)
{
    public IMemoryStrategy Strategy => strategy;

    /// <summary>Another strategy of the same kind and shape: the source of foreign pointers that look most like ours.</summary>
    public IMemoryStrategy CreateSibling() => createSibling();

    public nuint MaxAllocationSize => strategy.MaxAllocationSize;

    public abstract void* Allocate(nuint size);

    public abstract void Deallocate(void* ptr);

    public abstract StrategyStatus GetStatus();

    public abstract bool Validate();

    /// <summary>Disposes the strategy itself (a native caller's <c>cleanup_your_strategy</c>).</summary>
    public void DisposeStrategy() => strategy.Dispose();
}

/// <summary>The generated managed members, through the interface.</summary>
internal sealed unsafe class ManagedEntryPoint(IMemoryStrategy strategy, Func<IMemoryStrategy> createSibling) : EntryPoint(strategy, createSibling)
{
    public override void* Allocate(nuint size) => Strategy.Allocate(size);

    public override void Deallocate(void* ptr) => Strategy.Deallocate(ptr);

    public override StrategyStatus GetStatus() => Strategy.GetStatus();

    public override bool Validate() => Strategy.Validate();

    public override string ToString() => "managed API";
}

/// <summary>The C vtable: the function pointers of the strategy's native handle, called with its struct as self.</summary>
internal sealed unsafe class NativeEntryPoint(IMemoryStrategy strategy, NativeStrategyHandle handle, Func<IMemoryStrategy> createSibling)
    : EntryPoint(strategy, createSibling)
{
    private NativeMemoryStrategy* Self => handle.Pointer;

    public override void* Allocate(nuint size) => Self->Allocate(Self, size);

    public override void Deallocate(void* ptr) => Self->Deallocate(Self, ptr);

    public override StrategyStatus GetStatus() => (StrategyStatus)Self->GetStatus(Self);

    public override bool Validate() => Self->Validate(Self) != 0;

    public override string ToString() => "native vtable";
}
