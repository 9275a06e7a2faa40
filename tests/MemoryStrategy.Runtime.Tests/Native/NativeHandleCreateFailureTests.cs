using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Runtime.Tests.Native;

/// <summary>
/// <see cref="NativeStrategyHandle.Create(IMemoryStrategy, delegate* unmanaged[Cdecl]{NativeMemoryStrategy*, nuint, void*}, delegate* unmanaged[Cdecl]{NativeMemoryStrategy*, void*, void}, delegate* unmanaged[Cdecl]{NativeMemoryStrategy*, int}, delegate* unmanaged[Cdecl]{NativeMemoryStrategy*, byte}, NativeStrategyTraits)"/>
/// that throws part-way (a strategy whose tracker or status throws) leaves nothing behind: no rented slot, no GC handle
/// keeping the strategy alive.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed unsafe class NativeHandleCreateFailureTests
{
    [Theory]
    [InlineData(Failure.Tracker)]
    [InlineData(Failure.Status)]
    public void A_create_that_throws_returns_its_slot_and_frees_its_handle(Failure failure)
    {
        // Handles other tests dropped are finalized first, so the counts below move only for this test's reasons.
        CollectEverything();
        long live = NativeStrategyHandle.LiveBlocks;

        WeakReference strategy = CreateAndFail(failure);
        CollectEverything();

        Assert.False(strategy.IsAlive);
        Assert.Equal(live, NativeStrategyHandle.LiveBlocks);
    }

    private static void CollectEverything()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    public enum Failure
    {
        Tracker,
        Status,
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateAndFail(Failure failure)
    {
        var strategy = new ThrowingStrategy(failure);
        Assert.Throws<InvalidOperationException>(() => NativeStrategyHandle.Create(
            strategy,
            &Allocate,
            &Deallocate,
            &GetStatus,
            &Validate,
            NativeStrategyTraits.FixedMaxAllocationSize));
        return new WeakReference(strategy);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void* Allocate(NativeMemoryStrategy* self, nuint size) => null;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Deallocate(NativeMemoryStrategy* self, void* ptr)
    {
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetStatus(NativeMemoryStrategy* self) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte Validate(NativeMemoryStrategy* self) => 0;

    /// <summary>A strategy written by hand whose tracker (or whose status, read to publish its limit) throws.</summary>
    private sealed class ThrowingStrategy(Failure failure) : IMemoryStrategy
    {
        private readonly StatusTracker _tracker = CreateReadyTracker();

        public nuint MaxAllocationSize => 64;

        public StatusTracker StatusTracker =>
            failure == Failure.Tracker ? throw new InvalidOperationException("tracker") : _tracker;

        public StrategyStatus GetStatus() =>
            failure == Failure.Status ? throw new InvalidOperationException("status") : _tracker.Status;

        public void* Allocate(nuint size) => null;

        public void Deallocate(void* ptr)
        {
        }

        public bool Validate() => false;

        public bool Owns(void* ptr) => false;

        public void Dispose()
        {
        }

        private static StatusTracker CreateReadyTracker()
        {
            var tracker = new StatusTracker("throwing");
            tracker.TryTransition(StrategyStatus.Uninitialized, StrategyStatus.Ready);
            return tracker;
        }
    }
}
