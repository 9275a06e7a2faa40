using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;
using MemoryStrategy.Testing;

namespace MemoryStrategy.Generators.Tests.Native;

/// <summary>
/// The C validators (<c>native/memory_strategy_validators.c</c>, the code the NativeAOT library links) compiled with gcc
/// here and called on structs of generated strategies in every status, on structs written "in C" (function pointers
/// of this class) and on garbage. The answers must be those of the runtime's own validators; where the C code answers
/// from the struct's memory, a wrong reading of it (the slot, the traits, the limit, the status) changes an answer
/// below.
/// </summary>
[Collection(NativeCollection.Name)]
public sealed unsafe partial class ValidatorsInCTests
{
    private static readonly Lazy<nint> Library =
        new(() => GccLibrary.BuildAndLoad(Path.Combine("Native", "memory_strategy_validators.c")));

    private static int s_foreignStatus;
    private static int s_foreignValid;
    private static int s_foreignCalls;

    private static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, byte> CValidateStrategy =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, byte>)NativeLibrary.GetExport(Library.Value, "validate_strategy");

    private static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, byte> CValidateAllocation =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, byte>)NativeLibrary.GetExport(Library.Value, "validate_allocation");

    private static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, byte> CValidateDeallocation =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, byte>)NativeLibrary.GetExport(Library.Value, "validate_deallocation");

    [RequiresGccTheory]
    [InlineData(StrategyStatus.Uninitialized, true)]
    [InlineData(StrategyStatus.Ready, true)]
    [InlineData(StrategyStatus.Degraded, true)]
    [InlineData(StrategyStatus.Faulted, false)]
    [InlineData(StrategyStatus.Disposed, false)]
    public void A_strategy_validated_by_its_status_gets_the_runtimes_answers_in_every_status(StrategyStatus status, bool serving)
    {
        using var strategy = new TrackedPassThrough();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* self = handle.Pointer;
        void* block = PutIn(strategy, status);

        // Uninitialized: the C code hands the first validation to .NET, which moves the strategy to Ready.
        Assert.Equal(serving, CValidateStrategy(self) != 0);
        Assert.Equal(status == StrategyStatus.Uninitialized ? StrategyStatus.Ready : status, strategy.GetStatus());
        Assert.Equal(NativeValidators.ValidateStrategy(self), CValidateStrategy(self) != 0);

        // The limit is 1 MiB: size 0 and anything above are refused in every status.
        const nuint limit = 1 << 20;
        Assert.False(CValidateAllocation(self, 0) != 0);
        Assert.Equal(serving, CValidateAllocation(self, 1) != 0);
        Assert.Equal(serving, CValidateAllocation(self, limit) != 0);
        Assert.False(CValidateAllocation(self, limit + 1) != 0);
        Assert.False(CValidateAllocation(self, nuint.MaxValue) != 0);

        // Ownership is the runtime's answer; NULL and a foreign pointer are refused in every status.
        void* foreign = NativeMemory.Alloc(16);
        Assert.Equal(serving && block != null, CValidateDeallocation(self, block) != 0);
        Assert.False(CValidateDeallocation(self, null) != 0);
        Assert.False(CValidateDeallocation(self, foreign) != 0);
        NativeMemory.Free(foreign);
        if (block != null && status != StrategyStatus.Disposed)
        {
            strategy.Deallocate(block);
        }

        // A disposed strategy released its block itself (TrackAllocations hands live blocks back to the core at Dispose).
    }

    [RequiresGccFact]
    public void A_pointer_inside_a_real_struct_or_its_page_header_is_refused_by_every_validator_without_a_call()
    {
        // Before and after the limit is published (which changes the words a shifted pointer would read as a struct).
        using var strategy = new LimitedStrategy(100);
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        byte* self = (byte*)handle.Pointer;
        for (int round = 0; round < 2; round++)
        {
            for (int offset = 1; offset < 64; offset++)
            {
                var inside = (NativeMemoryStrategy*)(self + offset);
                Assert.False(CValidateStrategy(inside) != 0);
                Assert.False(CValidateAllocation(inside, 16) != 0);
                Assert.False(CValidateDeallocation(inside, self) != 0);
                Assert.False(NativeValidators.ValidateStrategy(inside));
                Assert.False(NativeValidators.ValidateAllocation(inside, 16));
                Assert.False(NativeValidators.ValidateDeallocation(inside, self));
            }

            // The page's header (its first 64 bytes) is no struct either.
            var header = (NativeMemoryStrategy*)((nuint)self & ~(nuint)4095);
            Assert.False(CValidateStrategy(header) != 0);
            Assert.False(NativeValidators.ValidateStrategy(header));

            // Nothing reached the strategy: the first round leaves it unvalidated; then the real struct validates it
            // and publishes the limit.
            Assert.Equal(round == 0 ? StrategyStatus.Uninitialized : StrategyStatus.Ready, strategy.GetStatus());
            Assert.True(CValidateAllocation(handle.Pointer, 100) != 0);
        }
    }

    [RequiresGccFact]
    public void The_limit_is_published_next_to_the_struct_once_validated_and_the_C_code_uses_it()
    {
        using var strategy = new LimitedStrategy(100);
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* self = handle.Pointer;
        Assert.Equal((nuint)0, PublishedLimit(self)); // Uninitialized: the limit may still be lowered

        Assert.True(CValidateAllocation(self, 100) != 0);
        Assert.Equal((nuint)100, PublishedLimit(self));
        Assert.False(CValidateAllocation(self, 101) != 0);
        Assert.True(CValidateAllocation(self, 1) != 0);
        Assert.False(CValidateAllocation(self, 0) != 0);

        // Answered from the slot: with the limit word changed behind the runtime's back, the C answer follows it. (Only
        // a test may do this; it proves the C code reads the word, not that .NET answered.)
        SetPublishedLimit(self, 50);
        Assert.False(CValidateAllocation(self, 51) != 0);
        Assert.True(NativeValidators.ValidateAllocation(self, 51));
        SetPublishedLimit(self, 100);
    }

    [RequiresGccFact]
    public void A_strategy_with_its_own_Validate_is_asked_every_time_and_its_failure_faults_it()
    {
        using var strategy = new ScriptedStrategy();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* self = handle.Pointer;

        Assert.True(CValidateStrategy(self) != 0);
        int calls = strategy.ValidateCalls;
        Assert.True(CValidateStrategy(self) != 0);
        Assert.True(CValidateAllocation(self, 256) != 0);
        Assert.Equal(calls + 2, strategy.ValidateCalls);

        // Above the published limit the C code refuses without asking.
        Assert.False(CValidateAllocation(self, 257) != 0);
        Assert.Equal(calls + 2, strategy.ValidateCalls);

        // A free is validated whole: the strategy's check, then its [Owns].
        void* block = strategy.Allocate(16);
        int owns = strategy.OwnsCalls;
        Assert.True(CValidateDeallocation(self, block) != 0);
        Assert.Equal(calls + 3, strategy.ValidateCalls);
        Assert.Equal(owns + 1, strategy.OwnsCalls);
        strategy.Deallocate(block);
        Assert.False(CValidateDeallocation(self, block) != 0);

        strategy.InvariantsHold = false;
        Assert.False(CValidateStrategy(self) != 0);
        Assert.Equal(StrategyStatus.Faulted, strategy.GetStatus());
        Assert.False(CValidateAllocation(self, 16) != 0);
    }

    [RequiresGccFact]
    public void A_disposed_handle_is_refused_while_its_strategy_still_serves()
    {
        using var strategy = new TrackedPassThrough();
        NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* self = handle.Pointer;
        Assert.True(CValidateStrategy(self) != 0);
        Assert.True(CValidateAllocation(self, 64) != 0);
        void* block = strategy.Allocate(64);

        handle.Dispose();
        Assert.False(CValidateStrategy(self) != 0);
        Assert.False(CValidateAllocation(self, 64) != 0);
        Assert.False(CValidateDeallocation(self, block) != 0);
        Assert.True(strategy.Validate());
        strategy.Deallocate(block);
        GC.KeepAlive(handle);
    }

    [RequiresGccFact]
    public void Threads_racing_the_first_validation_and_a_dispose_see_valid_then_refused_never_back()
    {
        using var strategy = new TrackedPassThrough();
        NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* self = handle.Pointer;
        const int threads = 4, disposeAt = 10_000, afterRefusal = 1_000, maxCalls = 200_000_000;
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var flips = new int[threads];

        // Four threads validate a fresh strategy (the first validation races in .NET, then the C code answers from the
        // status word), while thread 0 disposes the handle after 10,000 calls. Each thread's answers must be true until
        // the refusal and false after it: status_tracker moves to the Disposed word once, and a thread that saw it never
        // reads the old word again. Each goes on 1,000 calls past its first refusal (at most 200 million calls or 10
        // seconds: a thread 0 the scheduler keeps off the CPU only makes the others wait).
        Workers.Run(threads, index =>
        {
            bool valid = true;
            int refusedAt = -1;
            for (int call = 0; call < maxCalls && (refusedAt < 0 || call < refusedAt + afterRefusal); call++)
            {
                if ((call & 0xFFFF) == 0 && deadline.Elapsed > TimeSpan.FromSeconds(10) && call > disposeAt)
                {
                    break;
                }

                if (index == 0 && call == disposeAt)
                {
                    handle.Dispose();
                }

                bool now = (call & 1) == 0 ? CValidateStrategy(self) != 0 : CValidateAllocation(self, 64) != 0;
                Assert.False(now && !valid, $"thread {index}: valid again at call {call}");
                flips[index] += now != valid ? 1 : 0;
                refusedAt = !now && refusedAt < 0 ? call : refusedAt;
                valid = now;
            }

            Assert.False(valid, $"thread {index}: still valid after the dispose");
        });

        Assert.All(flips, count => Assert.Equal(1, count));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        GC.KeepAlive(handle);
    }

    [RequiresGccTheory]
    [InlineData(StrategyStatus.Uninitialized, 1, true)]
    [InlineData(StrategyStatus.Ready, 1, true)]
    [InlineData(StrategyStatus.Degraded, 1, true)]
    [InlineData(StrategyStatus.Ready, 0, false)]
    [InlineData(StrategyStatus.Faulted, 1, false)]
    [InlineData(StrategyStatus.Disposed, 1, false)]
    public void A_struct_written_in_C_is_validated_through_its_own_functions(StrategyStatus status, int validates, bool valid)
    {
        NativeMemoryStrategy* self = ForeignStruct();
        try
        {
            Volatile.Write(ref s_foreignStatus, (int)status);
            Volatile.Write(ref s_foreignValid, validates);
            int calls = Volatile.Read(ref s_foreignCalls);

            Assert.Equal(valid, CValidateStrategy(self) != 0);
            Assert.True(Volatile.Read(ref s_foreignCalls) > calls); // its get_status was called

            // No limit but C's own: 0 < size <= PTRDIFF_MAX; any non-NULL pointer (a C strategy cannot be asked).
            Assert.False(CValidateAllocation(self, 0) != 0);
            Assert.Equal(valid, CValidateAllocation(self, (nuint)nint.MaxValue) != 0);
            Assert.False(CValidateAllocation(self, (nuint)nint.MaxValue + 1) != 0);
            Assert.Equal(valid, CValidateDeallocation(self, self) != 0);
            Assert.False(CValidateDeallocation(self, null) != 0);

            self->Validate = null;
            Assert.False(CValidateStrategy(self) != 0);
        }
        finally
        {
            NativeMemory.AlignedFree((byte*)self - 64);
        }
    }

    [RequiresGccFact]
    public void Null_garbage_and_a_copy_of_a_runtime_struct_are_refused_without_a_crash()
    {
        Assert.False(CValidateStrategy(null) != 0);
        Assert.False(CValidateAllocation(null, 64) != 0);
        Assert.False(CValidateDeallocation(null, (void*)0x10000) != 0);

        // Random bytes at every 8-byte offset of two pages: never recognised as a runtime slot, never called.
        const int bytes = 8192;
        var garbage = (byte*)NativeMemory.AlignedAlloc(bytes, 4096);
        using var strategy = new TrackedPassThrough();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        try
        {
            new Random(20261206).NextBytes(new Span<byte>(garbage, bytes));
            for (int offset = 0; offset + sizeof(NativeMemoryStrategy) <= bytes; offset += 8)
            {
                var self = (NativeMemoryStrategy*)(garbage + offset);
                Assert.False(CValidateStrategy(self) != 0);
                Assert.False(CValidateAllocation(self, 64) != 0);
                Assert.False(CValidateDeallocation(self, garbage) != 0);
            }

            // A runtime struct copied to a slot-aligned offset of another page, with its page header copied too: the
            // page's address is part of both header words, so the copy is a foreign struct whose functions (the
            // pool's thunks) refuse it.
            Assert.True(strategy.Validate());
            NativeMemoryStrategy* original = handle.Pointer;
            nuint originalPage = (nuint)original & ~(nuint)4095;
            Buffer.MemoryCopy((void*)originalPage, garbage, 64, 64);
            var copy = (NativeMemoryStrategy*)(garbage + ((nuint)original - originalPage));
            *copy = *original;
            Assert.True(CValidateStrategy(original) != 0);
            Assert.False(CValidateStrategy(copy) != 0);
            Assert.False(CValidateAllocation(copy, 64) != 0);
        }
        finally
        {
            NativeMemory.AlignedFree(garbage);
        }
    }
}
