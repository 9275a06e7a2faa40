using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// A guarded strategy's core runs inside a call marked on its thread's object whichever entry point reached it: the
/// public ones, a scope, or the nested ones a holder calls (the reference pool's cache relies on it). The mark is left
/// when the call ends, however it ends where the strategy has fault handlers.
/// </summary>
public sealed unsafe class NestedCallMarkTests
{
    [Fact]
    public void The_nested_entry_points_mark_the_call_as_the_public_ones_do()
    {
        using var probe = new CallDepthProbe();
        StrategyThread thread = probe.StatusTracker.CurrentThread;

        void* block = probe.Allocate(32);
        Assert.Equal(1, probe.DepthSeen);
        probe.Deallocate(block);
        Assert.Equal(1, probe.DepthSeen);

        block = probe.AllocateNested(thread, 32, recordStatistics: false);
        Assert.Equal(1, probe.DepthSeen);
        Assert.Equal(0, thread.CallDepth);
        Assert.True(probe.DeallocateNested(thread, block, recordStatistics: false));
        Assert.Equal(1, probe.DepthSeen);
        Assert.Equal(0, thread.CallDepth);
    }

    [Fact]
    public void Without_fault_handlers_the_nested_entry_points_mark_the_call_too()
    {
        using var probe = new CallDepthProbeWithoutHandlers();
        StrategyThread thread = probe.StatusTracker.CurrentThread;

        void* block = probe.AllocateNested(thread, 32, recordStatistics: true);
        Assert.Equal(1, probe.DepthSeen);
        Assert.True(probe.DeallocateNested(thread, block, recordStatistics: true));
        Assert.Equal(1, probe.DepthSeen);
        Assert.Equal(0, thread.CallDepth);
        Assert.Equal((1, 1), (probe.StatusTracker.GetStatistics().Allocations, probe.StatusTracker.GetStatistics().Deallocations));
    }

    [Fact]
    public void A_nested_call_whose_core_threw_leaves_no_mark_for_dispose_to_wait_on()
    {
        var probe = new CallDepthProbe { ThrowOnAllocate = true };
        StrategyThread thread = probe.StatusTracker.CurrentThread;
        Assert.True(probe.Validate());

        // Nested entry points have no fault handler: the exception reaches the holder, and the strategy keeps its status.
        Assert.Throws<CoreException>(() => probe.AllocateNested(thread, 32, recordStatistics: false));
        Assert.Equal(1, probe.DepthSeen);
        Assert.Equal(0, thread.CallDepth);
        Assert.Equal(StrategyStatus.Ready, probe.GetStatus());

        // From another thread, which waits for every other thread's marks.
        var disposer = new Thread(probe.Dispose);
        disposer.Start();
        Assert.True(disposer.Join(TimeSpan.FromSeconds(30)), "Dispose still waits for a nested call that ended with an exception");
        Assert.Equal(StrategyStatus.Disposed, probe.GetStatus());
    }
}
