using System.Runtime.InteropServices;
using MemoryStrategy.Generators.Tests.Runtime.Strategies;
using MemoryStrategy.Testing;

namespace MemoryStrategy.Generators.Tests.Native;

// validate_deallocation answered in C from a strategy's block description (INativeBlockOwnership), and the wait that
// keeps a destroy from freeing the state bytes under a C reader.
public sealed unsafe partial class ValidatorsInCTests
{
    [RequiresGccFact]
    public void An_exported_strategy_that_describes_its_blocks_gets_its_ownership_answered_in_C()
    {
        var strategy = new DescribedBlocksStrategy();
        NativeMemoryStrategy* self = NativeExports.Publish(strategy, strategy.CreateNativeHandle());
        void* foreign = NativeMemory.Alloc(16);
        try
        {
            Assert.True(CValidateStrategy(self) != 0); // the first validation, in .NET: Ready
            var block = (byte*)strategy.Allocate(40);
            var freed = (byte*)strategy.Allocate(40);
            strategy.Deallocate(freed);
            Assert.True(block != null && freed != null);

            int asked = strategy.OwnsCalls;
            Assert.True(CValidateDeallocation(self, block) != 0);
            Assert.False(CValidateDeallocation(self, freed) != 0);
            Assert.False(CValidateDeallocation(self, block + 16) != 0); // interior
            Assert.False(CValidateDeallocation(self, block + 1) != 0); // misaligned
            Assert.False(CValidateDeallocation(self, block - (DescribedBlocksStrategy.BlockSize * 100)) != 0); // below
            const int SlabBytes = DescribedBlocksStrategy.BlockSize * DescribedBlocksStrategy.BlockCount;
            Assert.False(CValidateDeallocation(self, block + SlabBytes) != 0); // beyond
            Assert.False(CValidateDeallocation(self, foreign) != 0);
            Assert.False(CValidateDeallocation(self, null) != 0);

            // Every byte around the live block, three strides each way (the stride, 48, has an odd part: the index is
            // a product and a rotation, so a miss anywhere must map past the count): only the block's start is owned.
            for (int delta = -3 * DescribedBlocksStrategy.BlockSize; delta <= 3 * DescribedBlocksStrategy.BlockSize; delta++)
            {
                Assert.Equal(delta == 0, CValidateDeallocation(self, block + delta) != 0);
            }

            Assert.Equal(asked, strategy.OwnsCalls); // no answer came from .NET

            // The runtime's own validator asks the strategy, and agrees.
            Assert.True(NativeValidators.ValidateDeallocation(self, block));
            Assert.False(NativeValidators.ValidateDeallocation(self, freed));
            Assert.False(NativeValidators.ValidateDeallocation(self, block + 16));
            Assert.True(strategy.OwnsCalls > asked);

            // Faulted: refused in C before any description is read.
            asked = strategy.OwnsCalls;
            Assert.True(strategy.StatusTracker.TryFault());
            Assert.False(CValidateDeallocation(self, block) != 0);
            Assert.Equal(asked, strategy.OwnsCalls);
        }
        finally
        {
            NativeMemory.Free(foreign);
            Assert.True(NativeExports.Destroy(self));
        }
    }

    [RequiresGccFact]
    public void A_handle_made_in_CSharp_publishes_no_description_and_NET_answers()
    {
        // Its strategy may be disposed before the handle, so the runtime never lets C read its state bytes.
        using var strategy = new DescribedBlocksStrategy();
        using NativeStrategyHandle handle = strategy.CreateNativeHandle();
        NativeMemoryStrategy* self = handle.Pointer;
        Assert.True(CValidateStrategy(self) != 0);
        void* block = strategy.Allocate(8);

        int asked = strategy.OwnsCalls;
        Assert.True(CValidateDeallocation(self, block) != 0);
        Assert.Equal(asked + 1, strategy.OwnsCalls);
        strategy.Deallocate(block);
    }

    [RequiresGccFact]
    public void Destroying_an_exported_strategy_waits_for_the_C_threads_reading_its_state_bytes()
    {
        // Two threads call validate_deallocation in a loop across each destroy (their marks claimed on first use, set
        // and cleared on every call); the strategy's cleanup unmaps its state bytes, so a read of them after the
        // destroy would fault. The window is a few instructions wide, so this is a stress of the path, not the proof of the
        // wait: the test below holds a mark across a destroy deterministically.
        for (int round = 0; round < 40; round++)
        {
            var strategy = new DescribedBlocksStrategy();
            NativeMemoryStrategy* self = NativeExports.Publish(strategy, strategy.CreateNativeHandle());
            Assert.True(CValidateStrategy(self) != 0);
            void* block = strategy.Allocate(8);
            int stop = 0;
            var calls = new long[2];
            var owned = new long[2];
            Thread[] readers = [.. Enumerable.Range(0, 2).Select(i => new Thread(() =>
            {
                while (Volatile.Read(ref stop) == 0 || Volatile.Read(ref calls[i]) < 2_000)
                {
                    if (CValidateDeallocation(self, block) != 0)
                    {
                        owned[i]++;
                    }

                    Volatile.Write(ref calls[i], calls[i] + 1);
                }
            }))];
            foreach (Thread reader in readers)
            {
                reader.Start();
            }

            // Let both readers start reading, then destroy under them.
            bool bothReading = SpinWait.SpinUntil(
                () => Volatile.Read(ref calls[0]) > 200 && Volatile.Read(ref calls[1]) > 200, TimeSpan.FromSeconds(60));
            Assert.True(bothReading);
            Assert.True(NativeExports.Destroy(self));
            Volatile.Write(ref stop, 1);
            foreach (Thread reader in readers)
            {
                reader.Join();
            }

            // Before the destroy the block was owned; the readers went on after it without a fault.
            Assert.All(owned, count => Assert.True(count > 0));
        }
    }

    [RequiresGccFact]
    public void A_destroy_does_not_free_the_state_bytes_while_a_C_reader_holds_its_mark_on_the_slot()
    {
        var strategy = new DescribedBlocksStrategy();
        NativeMemoryStrategy* self = NativeExports.Publish(strategy, strategy.CreateNativeHandle());
        Assert.True(CValidateStrategy(self) != 0);
        NativeVtableSlots.Ownership* description = NativeVtableSlots.OwnershipOf(NativeVtableSlots.From(self));
        Assert.Equal(1, Volatile.Read(ref description->Published));

        // This thread plays a C reader inside validate_deallocation: it holds a mark naming the slot.
        NativeVtableSlots.Reader* mark = ClaimReaderMark();
        Volatile.Write(ref mark->Slot, (nuint)self);
        var destroy = new Thread(() => Assert.True(NativeExports.Destroy(self)));
        destroy.Start();

        // Once the description is taken back the destroy waits for the mark: the cleanup must not run meanwhile, for as
        // long as the mark is held (a bounded number of checks; without the wait the cleanup runs within them).
        SpinWait.SpinUntil(() => Volatile.Read(ref description->Published) == 0);
        bool releasedUnderTheMark = false;
        for (int i = 0; i < 2_000_000 && !releasedUnderTheMark; i++)
        {
            releasedUnderTheMark = strategy.Released;
            if ((i & 1023) == 0)
            {
                Thread.Yield();
            }
        }

        Volatile.Write(ref mark->Slot, 0);
        Volatile.Write(ref mark->Claimed, 0);
        destroy.Join();
        Assert.False(releasedUnderTheMark);
        Assert.True(strategy.Released);
    }

    [RequiresGccFact]
    public void An_interrupt_that_reaches_a_destroy_waiting_for_a_C_reader_is_raised_after_the_cleanup()
    {
        // The destroying thread is interrupted while it waits for a C reader's mark. Raised again when that wait ended,
        // the interrupt threw out of the strategy's cleanup (its sleep), which then never released the memory.
        var strategy = new DescribedBlocksStrategy { SleepInCleanup = true };
        NativeMemoryStrategy* self = NativeExports.Publish(strategy, strategy.CreateNativeHandle());
        Assert.True(CValidateStrategy(self) != 0);
        NativeVtableSlots.Ownership* description = NativeVtableSlots.OwnershipOf(NativeVtableSlots.From(self));

        NativeVtableSlots.Reader* mark = ClaimReaderMark();
        Volatile.Write(ref mark->Slot, (nuint)self);
        bool destroyed = false, interruptRaisedAfter = false;
        var destroy = new Thread(() =>
        {
            Thread.CurrentThread.Interrupt();
            destroyed = NativeExports.Destroy(self);
            try
            {
                Thread.Sleep(1);
            }
            catch (ThreadInterruptedException)
            {
                interruptRaisedAfter = true;
            }
        });
        destroy.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref description->Published) == 0);

        // Long enough for the waiting destroy to reach the sleeps of its spin, where the interrupt is met.
        Thread.Sleep(200);
        Volatile.Write(ref mark->Slot, 0);
        Volatile.Write(ref mark->Claimed, 0);
        destroy.Join();

        Assert.True(destroyed);
        Assert.True(strategy.Released, "the cleanup did not run to its end");
        Assert.True(interruptRaisedAfter, "the interrupt was swallowed instead of raised again after the destroy");
    }

    /// <summary>A reader mark, claimed as a C thread claims its own (the caller gives it back).</summary>
    private static NativeVtableSlots.Reader* ClaimReaderMark()
    {
        NativeVtableSlots.Reader* readers = NativeVtableSlots.Readers;
        for (int i = NativeVtableSlots.ReaderCount - 1; i >= 0; i--)
        {
            if (Interlocked.CompareExchange(ref readers[i].Claimed, 1, 0) == 0)
            {
                return &readers[i];
            }
        }

        throw new InvalidOperationException("every reader mark is taken");
    }
}
