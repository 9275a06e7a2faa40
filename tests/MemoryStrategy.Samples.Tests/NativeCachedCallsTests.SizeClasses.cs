using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

// The size-class pool from C: allocate and deallocate routed to the class pools in C (NativeSizeClasses), counted in the
// pool's own statistics only, everything else through its thunks.
public sealed unsafe partial class NativeCachedCallsTests
{
    [RequiresGccFact]
    public void The_size_class_pool_from_C_serves_every_class_in_C_and_counts_in_its_own_statistics()
    {
        SizeClassPoolStrategy pool = CreateExportedSizeClasses(
            new SizeClassPoolOptions { SmallClassBlocks = 64, LargeClassBlocks = 16 }, out NativeMemoryStrategy* self);
        try
        {
            CountThunks(self);
            long pairs = 0;
            for (int round = 0; round < 4; round++)
            {
                for (nuint size = 1; size <= SizeClasses.Largest; size += size < 256 ? 1u : 97u)
                {
                    var block = (byte*)self->Allocate(self, size);
                    Assert.True(block != null);
                    block[0] = 1;
                    block[size - 1] = 2;
                    Assert.True(pool.Owns(block));
                    self->Deallocate(self, block);
                    pairs++;
                }
            }

            // Each class's first call on this thread (the first of all attaches the thread), and the periodic peak
            // samples (every 1,024 allocations: two here), reach .NET; the other 2,300 or so were served in C.
            Assert.InRange(s_allocateThunkCalls, SizeClasses.Count, SizeClasses.Count + 4);
            Assert.InRange(s_deallocateThunkCalls, 0, 1);

            StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
            Assert.Equal(pairs, statistics.Allocations);
            Assert.Equal(pairs, statistics.Deallocations);
            Assert.Equal(0, statistics.LiveAllocations);

            // The classes count nothing of what reached them (as in .NET without InnerStatistics).
            for (int i = 0; i < SizeClasses.Count; i++)
            {
                Assert.Equal(0, pool.ClassTracker(i).GetStatistics().Allocations);
            }
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }
    }

    [RequiresGccFact]
    public void The_size_class_pool_from_C_refuses_bad_frees_and_sends_large_sizes_to_its_fallback()
    {
        SizeClassPoolStrategy pool = CreateExportedSizeClasses(
            new SizeClassPoolOptions { SmallClassBlocks = 64, LargeClassBlocks = 16, StrictDoubleFree = true }, out NativeMemoryStrategy* self);
        void* foreign = NativeMemory.Alloc(64);
        try
        {
            var warm = (byte*)self->Allocate(self, 100);
            self->Deallocate(self, warm);

            var block = (byte*)self->Allocate(self, 100);
            var other = (byte*)self->Allocate(self, 100);
            self->Deallocate(self, block);
            self->Deallocate(self, block); // double free
            self->Deallocate(self, other + 16); // interior
            self->Deallocate(self, foreign); // outside the classes: the fallback refuses it
            Assert.Equal(3, pool.StatusTracker.GetStatistics().RefusedDeallocations);

            // Above the largest class: the fallback serves it, through the thunk.
            var large = (byte*)self->Allocate(self, 100_000);
            Assert.True(large != null);
            large[99_999] = 1;
            Assert.Equal(2, pool.StatusTracker.GetStatistics().LiveAllocations);
            self->Deallocate(self, large);
            self->Deallocate(self, other);
            Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
        }
        finally
        {
            NativeMemory.Free(foreign);
            Assert.True(NativeExports.Destroy(self));
        }
    }

    [RequiresGccFact]
    public void The_size_class_pool_from_C_serves_a_faulted_class_s_sizes_from_its_fallback()
    {
        SizeClassPoolStrategy pool = CreateExportedSizeClasses(
            new SizeClassPoolOptions { SmallClassBlocks = 64, LargeClassBlocks = 16 }, out NativeMemoryStrategy* self);
        try
        {
            // Attached and warm: the class's allocations are served in C.
            int index = SizeClasses.IndexOf(100);
            self->Deallocate(self, self->Allocate(self, 100));
            var before = (byte*)self->Allocate(self, 100);
            Assert.True(pool.ClassPool(index).Owns(before));

            // The class faults after this thread attached it: C reads the class's status on every allocation.
            Assert.True(pool.ClassTracker(index).TryFault());
            for (int i = 0; i < 3; i++)
            {
                var after = (byte*)self->Allocate(self, 100);
                Assert.True(after != null);
                Assert.False(pool.ClassPool(index).Owns(after));
                Assert.True(pool.Owns(after));
                self->Deallocate(self, after);
            }

            Assert.Equal(3, pool.ClassOverflows);
            self->Deallocate(self, before); // a faulted class takes its blocks back, in C or not
            Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
            Assert.Equal(0, pool.StatusTracker.GetStatistics().RefusedDeallocations);

            // The other classes still serve in C.
            var other = (byte*)self->Allocate(self, 1000);
            Assert.True(pool.ClassPool(SizeClasses.IndexOf(1000)).Owns(other));
            self->Deallocate(self, other);
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }
    }

    [RequiresGccFact]
    public void Threads_freeing_each_others_blocks_of_every_size_through_the_size_class_pool_from_C_lose_nothing()
    {
        SizeClassPoolStrategy pool = CreateExportedSizeClasses(
            new SizeClassPoolOptions { SmallClassBlocks = 256, LargeClassBlocks = 32 }, out NativeMemoryStrategy* self);
        try
        {
            // Mostly class sizes, one in eight up to 40,000 bytes (the largest through the fallback).
            RunExchangingWorkers(
                self, pool.StatusTracker, threads: 4, operations: 10_000, held: 16,
                random => (nuint)(random.Next(8) == 0 ? random.Next(1, 40_000) : random.Next(1, 1024)));
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }
    }

    [RequiresGccFact]
    public void A_pools_C_function_called_on_the_size_class_pool_and_the_reverse_are_served_by_the_right_thunks()
    {
        SizeClassPoolStrategy classes = CreateExportedSizeClasses(
            new SizeClassPoolOptions { SmallClassBlocks = 64, LargeClassBlocks = 16 }, out NativeMemoryStrategy* routed);
        MemoryPoolStrategy pool = CreateExported(blockCount: 64, out NativeMemoryStrategy* plain);
        try
        {
            // Warm both, so each thread entry is attached and the fast paths would run.
            plain->Deallocate(plain, plain->Allocate(plain, BlockSize));
            routed->Deallocate(routed, routed->Allocate(routed, 100));

            // A function pointer copied from the other struct (a C program's mistake): the thunk of the strategy
            // named by self serves the call, never the other kind's fast path on the wrong object (whose first
            // fields, the pool's offsets read against the size-class pool's object, are its tracker key).
            StrategyThread before = classes.StatusTracker.CurrentThread;
            object key = FirstField(before);
            for (int i = 0; i < 100; i++)
            {
                var fromClasses = (byte*)plain->Allocate(routed, 100);
                Assert.True(fromClasses != null && classes.Owns(fromClasses));
                plain->Deallocate(routed, fromClasses);
                var fromPool = (byte*)routed->Allocate(plain, BlockSize);
                Assert.True(fromPool != null && pool.Owns(fromPool));
                routed->Deallocate(plain, fromPool);
            }

            Assert.Same(key, FirstField(before));
            Assert.Same(before, classes.StatusTracker.CurrentThread);
            Assert.Equal(0, classes.StatusTracker.GetStatistics().LiveAllocations);
            Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
            Assert.Equal(101, pool.StatusTracker.GetStatistics().Allocations);
        }
        finally
        {
            Assert.True(NativeExports.Destroy(routed));
            Assert.True(NativeExports.Destroy(plain));
        }
    }

    // A limit below the smallest class leaves no size for the C calls' size table (sizes 1-16 are its first entry): the
    // pool does not describe its classes, and its thunks serve (and refuse) every size, as in .NET. It threw an
    // ArgumentException from the description (a table of no entries), so the pool could not be published.
    [RequiresGccFact]
    public void A_size_class_pool_limited_below_its_smallest_class_is_served_by_its_thunks_from_C()
    {
        _ = Library.Value;
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 4, LargeClassBlocks = 4, MaxAllocationSize = 8 });
        NativeMemoryStrategy* self = NativeExports.Publish(pool, pool.CreateNativeHandle());
        try
        {
            Assert.Equal(0, NativeVtableSlots.BlockCacheOf(NativeVtableSlots.From(self))->Published);
            var block = (byte*)self->Allocate(self, 8);
            Assert.True(block != null && pool.Owns(block));
            Assert.True(self->Allocate(self, 9) == null);
            self->Deallocate(self, block);

            StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
            Assert.Equal((1L, 1L, 1L, 0L), (statistics.Allocations, statistics.Deallocations, statistics.RefusedAllocations, statistics.LiveAllocations));
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }
    }

    // A fallback whose limit is below the options': C sees the limit .NET advertises (the C validator's and the
    // thunks'), so a size between the two is refused from C as an invalid size, and the pool stays Ready.
    [RequiresGccFact]
    public void A_size_class_pool_limited_by_its_fallback_refuses_larger_sizes_from_C_without_degrading()
    {
        const int ArenaLimit = 1 << 17;
        var arena = new BumpArenaStrategy(ArenaLimit);
        SizeClassPoolStrategy pool = CreateExportedSizeClasses(
            new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, Fallback = arena, MaxAllocationSize = 1 << 20 }, out NativeMemoryStrategy* self);
        var validateAllocation = (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, byte>)NativeLibrary.GetExport(Library.Value, "validate_allocation");
        try
        {
            Assert.Equal((nuint)SizeClasses.Largest, NativeVtableSlots.BlockCacheOf(NativeVtableSlots.From(self))->MaxSize);
            Assert.Equal(1, validateAllocation(self, ArenaLimit));
            Assert.Equal(0, validateAllocation(self, ArenaLimit + 1));

            Assert.True(self->Allocate(self, ArenaLimit + 1) == null);
            void* block = self->Allocate(self, ArenaLimit);
            Assert.True(block != null && arena.Owns(block));
            self->Deallocate(self, block);

            Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
            StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
            Assert.Equal((1L, 0L, 1L), (statistics.RefusedAllocations, statistics.FailedAllocations, statistics.Allocations));
            Assert.Equal(0, arena.StatusTracker.GetStatistics().RefusedAllocations);
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }
    }

    /// <summary>The reference in an object's first field (a <see cref="StrategyThread"/>'s tracker key).</summary>
    private static object FirstField(StrategyThread thread) =>
        System.Runtime.CompilerServices.Unsafe.As<byte, object>(ref System.Runtime.CompilerServices.Unsafe.As<RawObject>(thread).FirstField);

    private sealed class RawObject
    {
#pragma warning disable CS0649 // Only its address is taken, of objects of other types.
        public byte FirstField;
#pragma warning restore CS0649
    }

    /// <summary>A size-class pool published as its export publishes it, its classes described to the C calls.</summary>
    private static SizeClassPoolStrategy CreateExportedSizeClasses(SizeClassPoolOptions options, out NativeMemoryStrategy* self)
    {
        _ = Library.Value;
        var pool = new SizeClassPoolStrategy(options);
        self = NativeExports.Publish(pool, pool.CreateNativeHandle());
        Assert.NotEqual(0, NativeVtableSlots.BlockCacheOf(NativeVtableSlots.From(self))->Published);
        return pool;
    }
}
