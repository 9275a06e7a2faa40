using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Native;

/// <summary>
/// The C interface's usage examples, in C, with pthreads, against strategies written in C#: C calls
/// <c>strategy-&gt;allocate/deallocate/get_status/validate</c> through the generated vtable and reads the status word
/// through <c>status_tracker</c>.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed unsafe class UsageExamplesFromCTests
{
    [RequiresGccFact]
    public void The_struct_has_the_same_layout_in_c_and_in_csharp()
    {
        nuint* layout = stackalloc nuint[7];
        UsageExamplesLibrary.Layout(layout);

        var strategy = default(NativeMemoryStrategy);
        byte* start = (byte*)&strategy;
        Assert.Equal((nuint)((byte*)&strategy.Allocate - start), layout[0]);
        Assert.Equal((nuint)((byte*)&strategy.Deallocate - start), layout[1]);
        Assert.Equal((nuint)((byte*)&strategy.GetStatus - start), layout[2]);
        Assert.Equal((nuint)((byte*)&strategy.Validate - start), layout[3]);
        Assert.Equal((nuint)((byte*)&strategy.StrategyData - start), layout[4]);
        Assert.Equal((nuint)((byte*)&strategy.StatusTracker - start), layout[5]);
        Assert.Equal((nuint)sizeof(NativeMemoryStrategy), layout[6]);
    }

    [RequiresGccFact]
    public void The_usage_example_runs_on_a_generated_strategy()
    {
        using var strategy = new TrackedPassThrough();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();

        Assert.Equal(0, UsageExamplesLibrary.UsageExample(handle.Pointer));

        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(1, stats.Allocations);
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(1024, stats.BytesRequested);
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
    }

    [RequiresGccTheory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void The_thread_safe_usage_example_runs_on_pthreads(int threads)
    {
        const int Iterations = 2_000;
        using var strategy = new TrackedPassThrough();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        var reports = new WorkerReport[threads];

        fixed (WorkerReport* first = reports)
        {
            Assert.Equal(0, UsageExamplesLibrary.ThreadSafeExample(handle.Pointer, threads, Iterations, first));
        }

        Assert.All(reports, report =>
        {
            Assert.Equal(Iterations, report.Validated);
            Assert.Equal(Iterations, report.Allocated);
            Assert.Equal(Iterations, report.Freed);
            Assert.Equal(0, report.Corrupted);
            Assert.Equal(0, report.NotServing);
        });
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.Equal(threads * Iterations, stats.Allocations);
        Assert.Equal(threads * Iterations, stats.Deallocations);
        Assert.Equal(0, stats.RefusedAllocations + stats.RefusedDeallocations + stats.FailedAllocations);
        Assert.Equal(threads * Iterations, strategy.CoreFrees);
        Assert.Equal((int)StrategyStatus.Ready, UsageExamplesLibrary.ReadStatus(handle.Pointer));
    }

    [RequiresGccFact]
    public void Requests_above_the_limit_from_c_threads_are_refused_and_counted()
    {
        const int Threads = 4, Iterations = 1_000;
        var strategy = new ScriptedStrategy();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        var reports = new WorkerReport[Threads];

        fixed (WorkerReport* first = reports)
        {
            Assert.Equal(0, UsageExamplesLibrary.ThreadSafeExample(handle.Pointer, Threads, Iterations, first));
        }

        // The 1024-byte requests are above the Scripted limit (256): C's validation passes, every allocation is refused.
        Assert.All(reports, report => Assert.Equal((Iterations, 0, 0), (report.Validated, report.Allocated, report.Freed)));
        Assert.Equal(Threads * Iterations, strategy.StatusTracker.GetStatistics().RefusedAllocations);
        Assert.Equal(0, strategy.AllocateCalls);
        strategy.Dispose();
        Assert.Equal(1, strategy.CleanupCalls);
    }

    [RequiresGccFact]
    public void C_sees_every_status_through_get_status_and_the_status_word()
    {
        var strategy = new ScriptedStrategy();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* vtable = handle.Pointer;

        Assert.Equal((int)StrategyStatus.Uninitialized, UsageExamplesLibrary.ReadStatus(vtable));
        Assert.Equal(1, UsageExamplesLibrary.Validate(vtable));
        Assert.Equal((int)StrategyStatus.Ready, UsageExamplesLibrary.ReadStatus(vtable));
        strategy.ReturnNull = true;
        Assert.True(UsageExamplesLibrary.Allocate(vtable, 16) == null);
        Assert.Equal((int)StrategyStatus.Degraded, UsageExamplesLibrary.GetStatus(vtable));
        Assert.Equal((int)StrategyStatus.Degraded, UsageExamplesLibrary.ReadStatus(vtable));
        strategy.InvariantsHold = false;
        Assert.Equal(0, UsageExamplesLibrary.ValidateStrategy(vtable));
        Assert.Equal((int)StrategyStatus.Faulted, UsageExamplesLibrary.ReadStatus(vtable));
        strategy.Dispose();
        Assert.Equal((int)StrategyStatus.Disposed, UsageExamplesLibrary.GetStatus(vtable));
        Assert.Equal((int)StrategyStatus.Disposed, UsageExamplesLibrary.ReadStatus(vtable));
    }

    [RequiresGccFact]
    public void An_exception_in_a_core_called_from_c_faults_the_strategy_instead_of_crashing()
    {
        using var strategy = new ScriptedStrategy { ThrowOnAllocate = true };
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();

        Assert.True(UsageExamplesLibrary.Allocate(handle.Pointer, 16) == null);

        Assert.Equal((int)StrategyStatus.Faulted, UsageExamplesLibrary.ReadStatus(handle.Pointer));
        Assert.Equal(0, UsageExamplesLibrary.ValidateStrategy(handle.Pointer));
        strategy.ThrowOnValidate = true;
        Assert.Equal(0, UsageExamplesLibrary.Validate(handle.Pointer));
    }

    [RequiresGccFact]
    public void A_throwing_validate_or_deallocate_called_from_c_is_contained()
    {
        using var strategy = new ScriptedStrategy();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        void* block = UsageExamplesLibrary.Allocate(handle.Pointer, 16);
        strategy.ThrowOnDeallocate = true;

        UsageExamplesLibrary.Deallocate(handle.Pointer, block);

        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        strategy.ThrowOnDeallocate = false;
        UsageExamplesLibrary.Deallocate(handle.Pointer, block);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().Deallocations);
    }

    [RequiresGccFact]
    public void A_null_self_or_another_strategys_struct_is_refused()
    {
        using var tracked = new TrackedPassThrough();
        using var scripted = new ScriptedStrategy();
        using NativeStrategyHandle trackedHandle = tracked.CreateNativeHandle();
        using NativeStrategyHandle scriptedHandle = scripted.CreateNativeHandle();

        Assert.Equal(0, UsageExamplesLibrary.CallWithSelf(trackedHandle.Pointer, null));
        Assert.Equal(0, UsageExamplesLibrary.CallWithSelf(trackedHandle.Pointer, scriptedHandle.Pointer));

        Assert.Equal(0, tracked.StatusTracker.GetStatistics().Allocations);
        Assert.Equal(0, scripted.AllocateCalls + scripted.DeallocateCalls);
    }

    [RequiresGccFact]
    public void Calls_from_c_through_a_disposed_handle_are_refused()
    {
        using var strategy = new TrackedPassThrough();
        NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* vtable = handle.Pointer;
        void* block = UsageExamplesLibrary.Allocate(vtable, 32);

        handle.Dispose();

        Assert.True(UsageExamplesLibrary.Allocate(vtable, 32) == null);
        UsageExamplesLibrary.Deallocate(vtable, block);
        Assert.Equal((int)StrategyStatus.Disposed, UsageExamplesLibrary.GetStatus(vtable));
        Assert.Equal((int)StrategyStatus.Disposed, UsageExamplesLibrary.ReadStatus(vtable));
        Assert.Equal(0, UsageExamplesLibrary.Validate(vtable));
        Assert.Equal(0, UsageExamplesLibrary.ValidateStrategy(vtable));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal(0, strategy.CoreFrees);
        strategy.Deallocate(block);
        Assert.Equal(1, strategy.CoreFrees);
        GC.KeepAlive(handle);
    }
}
