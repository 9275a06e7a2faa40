using System.Diagnostics.Tracing;
using System.Diagnostics.Metrics;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MemoryStrategy.Runtime.Tests.Strategies;

namespace MemoryStrategy.Runtime.Tests.Native;

/// <summary>
/// The native vtable from managed code (no C compiler needed): its layout, the thunks called through the function
/// pointers, and the handle's lifetime: dispose, racing calls, and what it keeps alive.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed unsafe class NativeHandleTests
{
    [Fact]
    public void The_struct_is_laid_out_like_the_C_struct()
    {
        var strategy = default(NativeMemoryStrategy);
        byte* start = (byte*)&strategy;
        int word = IntPtr.Size;

        Assert.Equal(6 * word, sizeof(NativeMemoryStrategy));
        Assert.Equal(0, (int)((byte*)&strategy.Allocate - start));
        Assert.Equal(1 * word, (int)((byte*)&strategy.Deallocate - start));
        Assert.Equal(2 * word, (int)((byte*)&strategy.GetStatus - start));
        Assert.Equal(3 * word, (int)((byte*)&strategy.Validate - start));
        Assert.Equal(4 * word, (int)((byte*)&strategy.StrategyData - start));
        Assert.Equal(5 * word, (int)((byte*)&strategy.StatusTracker - start));
        if (Environment.Is64BitProcess)
        {
            Assert.Equal(48, sizeof(NativeMemoryStrategy));
        }
    }

    [Fact]
    public void The_vtable_calls_the_strategy_and_its_status_word_is_the_trackers()
    {
        using var strategy = new GeneratedHeap();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* vtable = handle.Pointer;

        Assert.Equal(strategy.StatusTracker.StatusAddress, (nint)vtable->StatusTracker);
        Assert.Equal((int)StrategyStatus.Uninitialized, *(int*)vtable->StatusTracker);
        Assert.Equal(1, vtable->Validate(vtable));
        Assert.Equal((int)StrategyStatus.Ready, *(int*)vtable->StatusTracker);

        void* block = vtable->Allocate(vtable, 64);
        Assert.True(block != null);
        Assert.True(strategy.Owns(block));
        vtable->Deallocate(vtable, block);
        Assert.Equal((int)StrategyStatus.Ready, vtable->GetStatus(vtable));
        Assert.Equal(1, strategy.CoreFrees);
        Assert.True(vtable->Allocate(vtable, 0) == null);
        Assert.Equal(1, strategy.StatusTracker.GetStatistics().RefusedAllocations);
    }

    [Fact]
    public void A_null_self_is_refused_by_every_thunk()
    {
        using var strategy = new GeneratedHeap();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* vtable = handle.Pointer;

        Assert.True(vtable->Allocate(null, 16) == null);
        vtable->Deallocate(null, (void*)0x10000);
        Assert.Equal((int)StrategyStatus.Disposed, vtable->GetStatus(null));
        Assert.Equal(0, vtable->Validate(null));
        Assert.Equal(StrategyStatus.Uninitialized, strategy.GetStatus());
    }

    [Fact]
    public void A_struct_written_in_C_a_copy_or_garbage_passed_as_self_is_refused_by_every_thunk_and_validator()
    {
        using var strategy = new GeneratedHeap();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* vtable = handle.Pointer;
        Assert.True(strategy.Validate());

        // Two pages of random bytes, self at every 8-byte offset (the slots' own 64-byte alignment included), and a copy
        // of the handle's struct elsewhere whose strategy_data is the real GC handle: none is the handle's struct.
        const int GarbageBytes = 8192;
        var garbage = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(GarbageBytes, 4096);
        var copy = (NativeMemoryStrategy*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)sizeof(NativeMemoryStrategy), 64);
        try
        {
            new Random(14).NextBytes(new Span<byte>(garbage, GarbageBytes));
            *copy = *vtable;
            AssertRefused(vtable, copy);
            for (int offset = 0; offset + sizeof(NativeMemoryStrategy) <= GarbageBytes; offset += 8)
            {
                var self = (NativeMemoryStrategy*)(garbage + offset);
                AssertRefused(vtable, self);
                Assert.False(NativeValidators.ValidateStrategy(self));
                Assert.False(NativeValidators.ValidateAllocation(self, 16));
                Assert.False(NativeValidators.ValidateDeallocation(self, garbage));
            }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(garbage);
            System.Runtime.InteropServices.NativeMemory.AlignedFree(copy);
        }

        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal(0, strategy.StatusTracker.GetStatistics().Allocations);
        Assert.Equal(0, strategy.CoreFrees);
        Assert.True(NativeValidators.ValidateStrategy(vtable));
    }

    private static void AssertRefused(NativeMemoryStrategy* vtable, NativeMemoryStrategy* self)
    {
        long local = 0;
        Assert.True(vtable->Allocate(self, 16) == null);
        vtable->Deallocate(self, &local);
        Assert.Equal((int)StrategyStatus.Disposed, vtable->GetStatus(self));
        Assert.Equal(0, vtable->Validate(self));
    }

    [Fact]
    public void Dispose_is_idempotent_and_leaves_a_vtable_that_refuses()
    {
        using var strategy = new GeneratedHeap();
        NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* vtable = handle.Pointer;
        Assert.True(strategy.Validate());

        handle.Dispose();
        handle.Dispose();

        Assert.True(handle.IsDisposed);
        Assert.True(vtable->StrategyData == null);
        Assert.Equal((int)StrategyStatus.Disposed, *(int*)vtable->StatusTracker);
        Assert.True(vtable->Allocate(vtable, 16) == null);
        Assert.Equal(0, vtable->Validate(vtable));
        Assert.Equal((int)StrategyStatus.Disposed, vtable->GetStatus(vtable));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.Equal(0, strategy.StatusTracker.GetStatistics().Allocations);
        GC.KeepAlive(handle);
    }

    [Fact]
    public void Calls_from_C_through_a_disposed_handle_are_counted_reported_and_written_as_events()
    {
        using var strategy = new GeneratedHeap();
        NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* vtable = handle.Pointer;
        Assert.True(strategy.Validate());
        void* block = vtable->Allocate(vtable, 16);
        Assert.True(block != null);
        using var events = new RefusedCallEvents((nint)vtable);
        using var meter = new MeterListener();
        var measured = new Dictionary<string, long>();
        meter.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MemoryStrategyDiagnostics.MeterName && instrument.Name == MemoryStrategyInstruments.RefusedNativeCalls)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meter.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == MemoryStrategyDiagnostics.OperationTagName)
                {
                    measured[(string)tag.Value!] = value;
                }
            }
        });
        meter.Start();
        RefusedCallCounts before = NativeStrategyHandle.RefusedCalls;

        // A C program calling after the strategy's destroy: every call is refused and counted, none reaches it.
        handle.Dispose();
        Assert.True(vtable->Allocate(vtable, 16) == null);
        Assert.True(vtable->Allocate(vtable, 32) == null);
        vtable->Deallocate(vtable, block);

        // Process-wide counts (other tests may refuse calls meanwhile: at least ours).
        RefusedCallCounts after = NativeStrategyHandle.RefusedCalls;
        Assert.True(after.Allocations - before.Allocations >= 2, $"allocations refused: {before} -> {after}");
        Assert.True(after.Deallocations - before.Deallocations >= 1, $"deallocations refused: {before} -> {after}");
        meter.RecordObservableInstruments();
        Assert.True(measured.GetValueOrDefault("allocate") >= after.Allocations, "the instrument lags the count");
        Assert.True(measured.GetValueOrDefault("deallocate") >= after.Deallocations, "the instrument lags the count");
        Assert.Equal(["allocate", "allocate", "deallocate"], events.Operations);

        // The strategy itself saw none of them, and the block is still its own.
        StrategyStatistics statistics = strategy.StatusTracker.GetStatistics();
        Assert.Equal((1, 0L, 0L), (statistics.Allocations, statistics.RefusedAllocations, statistics.RefusedDeallocations));
        strategy.Deallocate(block);
        GC.KeepAlive(handle);
    }

    /// <summary>The refused-call events the MemoryStrategy event source writes about one struct.</summary>
    private sealed class RefusedCallEvents(nint structAddress) : EventListener
    {
        private readonly ConcurrentQueue<string> _operations = new();

        public string[] Operations => [.. _operations];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == MemoryStrategyDiagnostics.EventSourceName)
            {
                EnableEvents(eventSource, EventLevel.Warning);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName == "NativeCallRefused" && eventData.Payload is [ulong address, string operation] && address == (ulong)structAddress)
            {
                _operations.Enqueue(operation);
            }
        }
    }

    [Fact]
    public void Creating_a_handle_requires_a_strategy_and_every_function()
    {
        using var strategy = new GeneratedHeap();
        using NativeStrategyHandle valid = strategy.CreateNativeHandle();
        NativeMemoryStrategy* vtable = valid.Pointer;

        Assert.Throws<ArgumentNullException>(() => NativeStrategyHandle.Create(null!, vtable->Allocate, vtable->Deallocate, vtable->GetStatus, vtable->Validate));
        Assert.Throws<ArgumentException>(() => NativeStrategyHandle.Create(strategy, null, vtable->Deallocate, vtable->GetStatus, vtable->Validate));
    }

    [Fact]
    public void Disposing_while_threads_call_through_the_vtable_never_crashes_or_loses_a_block()
    {
        for (int round = 0; round < 20; round++)
        {
            using var strategy = new GeneratedHeap();
            NativeStrategyHandle handle = strategy.CreateNativeHandle();
            nint vtable = (nint)handle.Pointer;
            long served = 0;

            Workers.Run(4, thread =>
            {
                var self = (NativeMemoryStrategy*)vtable;
                if (thread == 0)
                {
                    Thread.Sleep(1);
                    handle.Dispose();
                    return;
                }

                for (int i = 0; i < 2_000; i++)
                {
                    void* block = self->Allocate(self, 32);
                    if (block != null)
                    {
                        Interlocked.Increment(ref served);

                        // The vtable may be disposed by now; the block still goes back through the strategy itself.
                        strategy.Deallocate(block);
                    }
                }
            });

            StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
            Assert.Equal(served, stats.Allocations);
            Assert.Equal(served, stats.Deallocations);
            Assert.True(((NativeMemoryStrategy*)vtable)->Allocate((NativeMemoryStrategy*)vtable, 32) == null);
            GC.KeepAlive(handle);
        }
    }

    [Fact]
    public void An_undisposed_handle_keeps_its_strategy_alive_and_a_disposed_one_lets_it_go()
    {
        (NativeStrategyHandle kept, WeakReference keptStrategy) = CreateHandleForADroppedStrategy();
        (NativeStrategyHandle released, WeakReference releasedStrategy) = CreateHandleForADroppedStrategy();
        released.Dispose();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.True(keptStrategy.IsAlive);
        Assert.False(releasedStrategy.IsAlive);
        kept.Dispose();
        GC.KeepAlive(kept);
        GC.KeepAlive(released);
    }

    [Fact]
    public void Handles_leave_no_native_struct_behind_once_collected()
    {
        // Handles of earlier tests may still await their finalizer: settle them first.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = NativeStrategyHandle.LiveBlocks;

        CreateAndDropHandles(1_000, before);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(before, NativeStrategyHandle.LiveBlocks);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (NativeStrategyHandle Handle, WeakReference Strategy) CreateHandleForADroppedStrategy()
    {
        var strategy = new GeneratedHeap();
        return (strategy.CreateNativeHandle(), new WeakReference(strategy));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndDropHandles(int count, long before)
    {
        var handles = new NativeStrategyHandle[count];
        for (int i = 0; i < count; i++)
        {
            handles[i] = new GeneratedHeap().CreateNativeHandle();
        }

        Assert.Equal(before + count, NativeStrategyHandle.LiveBlocks);

        // Half disposed, half merely dropped: both kinds are freed once collected.
        for (int i = 0; i < count; i += 2)
        {
            handles[i].Dispose();
        }
    }
}
