using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Runtime.Strategies;

/// <summary>What the <c>[Validate]</c> of <see cref="ReentrantStrategy"/> does besides counting itself.</summary>
internal enum ValidateAction
{
    Nothing,
    ValidateItself,
    AllocateFromItself,
    DeallocateToItself,
    WaitForRacers,
}

/// <summary>
/// A strategy whose <c>[Validate]</c> calls back into the strategy it validates: the C interface's validator, its own
/// <c>Allocate</c> or <c>Deallocate</c>. Records what each nested call answered.
/// </summary>
[MemoryStrategy(MaxAllocationSize = 256, Name = "Reentrant")]
internal sealed unsafe partial class ReentrantStrategy
{
    private int _validateCalls;
    private int _arrived;

    public ValidateAction Action { get; set; }

    /// <summary>For <see cref="ValidateAction.WaitForRacers"/>: how many threads the check waits for (bounded).</summary>
    public int Racers { get; set; }

    public int ValidateCalls => Volatile.Read(ref _validateCalls);

    /// <summary>What the nested validation answered, or null when none ran.</summary>
    public bool? NestedValidation { get; private set; }

    /// <summary>What the nested allocation returned (zero when refused).</summary>
    public nint NestedAllocation { get; private set; } = -1;

    /// <summary>A test thread calls this just before it calls <c>Validate</c>, for <see cref="ValidateAction.WaitForRacers"/>.</summary>
    public void Arrive() => Interlocked.Increment(ref _arrived);

    [Allocate]
    private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

    [Deallocate]
    private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

    [Validate]
    private bool ValidateCore()
    {
        Interlocked.Increment(ref _validateCalls);
        switch (Action)
        {
            case ValidateAction.ValidateItself:
                NestedValidation = StrategyValidator.ValidateStrategy(this);
                break;
            case ValidateAction.AllocateFromItself:
                NestedAllocation = (nint)Allocate(16);
                break;
            case ValidateAction.DeallocateToItself:
                // Nothing is live yet, so whatever is freed here must be refused, never reach the core.
                Deallocate((void*)0x1000);
                break;
            case ValidateAction.WaitForRacers:
                // Bounded: on code that runs the first check once, only this thread gets here and the racers are
                // waiting for it, so the wait ends when they all have arrived at Validate.
                SpinWait.SpinUntil(() => Volatile.Read(ref _arrived) >= Racers, TimeSpan.FromSeconds(10));
                break;
        }

        return true;
    }
}
