using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// <c>FaultOnCoreException = false</c> removes the handlers: every core's exception reaches the caller unchanged and
/// the status stays where it was (with the default, the same exceptions fault the strategy: see the other tests).
/// </summary>
public sealed unsafe class FaultOnCoreExceptionTests
{
    [Fact]
    public void An_allocation_core_exception_propagates_and_the_status_stays_ready()
    {
        using var strategy = new HandlerFreeStrategy();
        Assert.True(strategy.Validate());
        var thrown = new InvalidOperationException("allocate");
        strategy.ThrowFromAllocate = thrown;

        Assert.Same(thrown, Assert.Throws<InvalidOperationException>(() => strategy.Allocate(16)));

        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        strategy.ThrowFromAllocate = null;
        void* block = strategy.Allocate(16);
        Assert.True(block is not null);
        strategy.Deallocate(block);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().Allocations);
    }

    [Fact]
    public void Deallocate_owns_and_validate_exceptions_propagate_without_faulting()
    {
        using var strategy = new HandlerFreeStrategy();
        void* block = strategy.Allocate(16);

        strategy.ThrowFromDeallocate = new InvalidOperationException("deallocate");
        Assert.Throws<InvalidOperationException>(() => strategy.Deallocate(block));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        strategy.ThrowFromDeallocate = null;

        strategy.ThrowFromOwns = new InvalidOperationException("owns");
        Assert.Throws<InvalidOperationException>(() => strategy.Owns(block));
        Assert.Throws<InvalidOperationException>(() => strategy.Deallocate(block));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        strategy.ThrowFromOwns = null;

        strategy.ThrowFromValidate = new InvalidOperationException("validate");
        Assert.Throws<InvalidOperationException>(() => strategy.Validate());
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        strategy.ThrowFromValidate = null;

        strategy.Deallocate(block);
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(0, stats.LiveAllocations);
    }

    [Fact]
    public void Through_the_native_vtable_an_exception_still_faults_and_never_reaches_c()
    {
        using var strategy = new HandlerFreeStrategy();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        strategy.ThrowFromAllocate = new InvalidOperationException("allocate");

        void* result = handle.Pointer->Allocate(handle.Pointer, 16);

        Assert.True(result is null);
        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
    }
}
