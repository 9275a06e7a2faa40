using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;

namespace MemoryStrategy.Generators.Tests.Runtime;

/// <summary>
/// Every status against every entry point of a generated strategy: the managed members, the thread scope and each C
/// thunk. Each case puts a fresh strategy in one status, makes one call, and checks what reached the core, what the
/// call returned, what was counted and the status after it, against the table in docs/generated-code.md. The golden
/// files show the gates' text; these show what the gates let through.
/// </summary>
/// <remarks>
/// Two strategies: <see cref="ScriptedStrategy"/> (fault handlers, its own <c>[Validate]</c> and <c>[Owns]</c>) and
/// <see cref="TrackedPassThrough"/> (the live-pointer registry, and the inline <c>Validate</c> of a strategy without
/// <c>[Validate]</c>), so both shapes of each gate are exercised.
/// </remarks>
public sealed unsafe class StatusEntryPointTests
{
    /// <summary>The ways into a generated strategy.</summary>
    public enum EntryPoint
    {
        Allocate,
        Deallocate,
        Validate,
        Owns,
        ScopeAllocate,
        ScopeDeallocate,
        NativeAllocate,
        NativeDeallocate,
        NativeValidate,
        NativeGetStatus,
    }

    public static TheoryData<string, StrategyStatus, EntryPoint> Cases()
    {
        var cases = new TheoryData<string, StrategyStatus, EntryPoint>();
        foreach (string strategy in new[] { nameof(ScriptedStrategy), nameof(TrackedPassThrough) })
        {
            foreach (StrategyStatus status in Enum.GetValues<StrategyStatus>())
            {
                foreach (EntryPoint entry in Enum.GetValues<EntryPoint>())
                {
                    cases.Add(strategy, status, entry);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_entry_point_does_what_the_status_allows(string strategy, StrategyStatus status, EntryPoint entry)
    {
        using Subject subject = Subject.Create(strategy);
        nint block = subject.PutIn(status);
        long allocations = subject.CoreAllocations(), frees = subject.CoreFrees();
        StrategyStatistics before = subject.Strategy.StatusTracker.GetStatistics();

        // The documented table: only the first call on an Uninitialized strategy moves it (it validates first), and a
        // served allocation moves Degraded back to Ready.
        bool serving = status is StrategyStatus.Uninitialized or StrategyStatus.Ready or StrategyStatus.Degraded;
        bool takesBlocksBack = status is StrategyStatus.Ready or StrategyStatus.Degraded or StrategyStatus.Faulted;
        StrategyStatus after = status;
        switch (entry)
        {
            case EntryPoint.Allocate or EntryPoint.ScopeAllocate or EntryPoint.NativeAllocate:
            {
                nint served = subject.Allocate(entry, 16);
                Assert.Equal(serving, served != 0);
                Assert.Equal(allocations + (serving ? 1 : 0), subject.CoreAllocations());
                StrategyStatistics stats = subject.Strategy.StatusTracker.GetStatistics();
                Assert.Equal(before.Allocations + (serving ? 1 : 0), stats.Allocations);
                Assert.Equal(before.RefusedAllocations + (serving ? 0 : 1), stats.RefusedAllocations);
                after = serving ? StrategyStatus.Ready : status;
                subject.Served = served;
                break;
            }

            case EntryPoint.Deallocate or EntryPoint.ScopeDeallocate or EntryPoint.NativeDeallocate:
            {
                // Uninitialized has no live block: the pointer is foreign, so the validated strategy refuses it.
                subject.Deallocate(entry, block);
                Assert.Equal(frees + (takesBlocksBack ? 1 : 0), subject.CoreFrees());
                StrategyStatistics stats = subject.Strategy.StatusTracker.GetStatistics();
                Assert.Equal(before.Deallocations + (takesBlocksBack ? 1 : 0), stats.Deallocations);
                Assert.Equal(before.RefusedDeallocations + (takesBlocksBack ? 0 : 1), stats.RefusedDeallocations);
                after = status == StrategyStatus.Uninitialized ? StrategyStatus.Ready : status;
                break;
            }

            case EntryPoint.Validate or EntryPoint.NativeValidate:
                Assert.Equal(serving, subject.Validate(entry));
                after = status == StrategyStatus.Uninitialized ? StrategyStatus.Ready : status;
                break;

            case EntryPoint.Owns:
                Assert.Equal(takesBlocksBack, subject.Strategy.Owns((void*)block));
                break;

            case EntryPoint.NativeGetStatus:
                Assert.Equal((int)status, subject.Handle.Pointer->GetStatus(subject.Handle.Pointer));
                break;
        }

        Assert.Equal(after, subject.Strategy.GetStatus());
        if (entry is not (EntryPoint.Allocate or EntryPoint.ScopeAllocate or EntryPoint.NativeAllocate))
        {
            Assert.Equal(allocations, subject.CoreAllocations());
        }

        if (entry is not (EntryPoint.Deallocate or EntryPoint.ScopeDeallocate or EntryPoint.NativeDeallocate))
        {
            Assert.Equal(frees, subject.CoreFrees());
        }
    }

    /// <summary>One generated strategy, its native handle and the block it handed out, behind one interface.</summary>
    private sealed class Subject : IDisposable
    {
        private nint _block;
        private bool _foreign;

        private Subject(IMemoryStrategy strategy, Func<long> coreAllocations, Func<long> coreFrees, Func<nuint, nint> scopeAllocate, Action<nint> scopeDeallocate, NativeStrategyHandle handle)
        {
            Strategy = strategy;
            CoreAllocations = coreAllocations;
            CoreFrees = coreFrees;
            ScopeAllocate = scopeAllocate;
            ScopeDeallocate = scopeDeallocate;
            Handle = handle;
        }

        public IMemoryStrategy Strategy { get; }

        public Func<long> CoreAllocations { get; }

        public Func<long> CoreFrees { get; }

        public NativeStrategyHandle Handle { get; }

        private Func<nuint, nint> ScopeAllocate { get; }

        private Action<nint> ScopeDeallocate { get; }

        public static Subject Create(string name)
        {
            switch (name)
            {
                case nameof(ScriptedStrategy):
                {
                    var scripted = new ScriptedStrategy();
                    return new Subject(
                        scripted,
                        () => scripted.AllocateCalls,
                        () => scripted.DeallocateCalls,
                        size => (nint)scripted.ForCurrentThread().Allocate(size),
                        block => scripted.ForCurrentThread().Deallocate((void*)block),
                        scripted.CreateNativeHandle());
                }

                default:
                {
                    var tracked = new TrackedPassThrough();
                    return new Subject(
                        tracked,
                        () => tracked.CoreAllocations,
                        () => tracked.CoreFrees,
                        size => (nint)tracked.ForCurrentThread().Allocate(size),
                        block => tracked.ForCurrentThread().Deallocate((void*)block),
                        tracked.CreateNativeHandle());
                }
            }
        }

        /// <summary>
        /// Moves the strategy to <paramref name="status"/> and returns a block it handed out and still holds (for
        /// Uninitialized, which has handed out nothing, a block of the C heap it does not own).
        /// </summary>
        public nint PutIn(StrategyStatus status)
        {
            if (status == StrategyStatus.Uninitialized)
            {
                _foreign = true;
                return _block = (nint)NativeMemory.Alloc(16);
            }

            Assert.True(Strategy.Validate());
            _block = (nint)Strategy.Allocate(16);
            Assert.True(_block != 0);
            StatusTracker tracker = Strategy.StatusTracker;
            switch (status)
            {
                case StrategyStatus.Degraded:
                    Assert.True(tracker.TryTransition(StrategyStatus.Ready, StrategyStatus.Degraded));
                    break;
                case StrategyStatus.Faulted:
                    Assert.True(tracker.TryFault());
                    break;
                case StrategyStatus.Disposed:
                    Strategy.Dispose();
                    break;
            }

            Assert.Equal(status, Strategy.GetStatus());
            return _block;
        }

        public nint Allocate(EntryPoint entry, nuint size)
        {
            NativeMemoryStrategy* vtable = Handle.Pointer;
            return entry switch
            {
                EntryPoint.Allocate => (nint)Strategy.Allocate(size),
                EntryPoint.ScopeAllocate => ScopeAllocate(size),
                _ => (nint)vtable->Allocate(vtable, size),
            };
        }

        public void Deallocate(EntryPoint entry, nint block)
        {
            NativeMemoryStrategy* vtable = Handle.Pointer;
            switch (entry)
            {
                case EntryPoint.Deallocate:
                    Strategy.Deallocate((void*)block);
                    break;
                case EntryPoint.ScopeDeallocate:
                    ScopeDeallocate(block);
                    break;
                default:
                    vtable->Deallocate(vtable, (void*)block);
                    break;
            }
        }

        public bool Validate(EntryPoint entry)
        {
            NativeMemoryStrategy* vtable = Handle.Pointer;
            return entry == EntryPoint.Validate ? Strategy.Validate() : vtable->Validate(vtable) != 0;
        }

        /// <summary>A block the call under test was served; given back when the subject is disposed, so nothing leaks.</summary>
        public nint Served { get; set; }

        public void Dispose()
        {
            // A foreign block is the test's own. A block the tracked pass-through's core never took back is still in its
            // registry, and its Dispose hands it back to the core; the scripted strategy's cleanup frees its own.
            if (Served != 0)
            {
                Strategy.Deallocate((void*)Served);
            }

            Handle.Dispose();
            Strategy.Dispose();
            if (_foreign)
            {
                NativeMemory.Free((void*)_block);
            }
        }
    }
}
