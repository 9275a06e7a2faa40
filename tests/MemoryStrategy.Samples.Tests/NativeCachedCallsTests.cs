using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// <c>allocate</c> and <c>deallocate</c> through the vtable of a pool created through its export, served in C
/// (<c>native/memory_strategy_calls.c</c>, compiled with gcc here with the C validators, as the NativeAOT library links
/// them, and registered with the runtime). The generated thunks are counted by putting counting functions in their
/// place in the slot's description: a call that C served reaches no thunk, yet must be counted, checked and cached
/// exactly as the thunk would have done.
/// </summary>
public sealed unsafe partial class NativeCachedCallsTests
{
    private const nuint BlockSize = 64;

    internal static Lazy<nint> Library { get; } = new(() => CachedCalls.Library);

    private static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> s_allocateThunk;
    private static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> s_deallocateThunk;
    private static int s_allocateThunkCalls;
    private static int s_deallocateThunkCalls;

    private static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, byte> CValidateDeallocation =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, byte>)NativeLibrary.GetExport(Library.Value, "validate_deallocation");

    [RequiresGccFact]
    public void Allocate_and_free_from_C_run_in_C_and_count_in_the_pools_statistics()
    {
        MemoryPoolStrategy pool = CreateExported(blockCount: 256, out NativeMemoryStrategy* self);
        try
        {
            Assert.NotEqual((nint)s_allocateThunk, (nint)self->Allocate); // the vtable points at the C calls
            CountThunks(self);
            const int Pairs = 1000;
            for (int i = 0; i < Pairs; i++)
            {
                var block = (byte*)self->Allocate(self, BlockSize);
                Assert.True(block != null);
                block[0] = (byte)i;
                block[BlockSize - 1] = (byte)i;
                Assert.True(CValidateDeallocation(self, block) != 0);
                self->Deallocate(self, block);
                Assert.False(CValidateDeallocation(self, block) != 0);
            }

            // The first call attaches the thread's object and goes to .NET, as does the first allocation's new high of
            // live blocks; every other call was served in C.
            Assert.InRange(s_allocateThunkCalls, 1, 3);
            Assert.InRange(s_deallocateThunkCalls, 0, 1);

            StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
            Assert.Equal(Pairs, statistics.Allocations);
            Assert.Equal(Pairs, statistics.Deallocations);
            Assert.Equal(0, statistics.LiveAllocations);
            Assert.Equal(Pairs * (long)BlockSize, statistics.BytesRequested);
            Assert.Equal(1, statistics.PeakLiveAllocations);
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }

        Assert.Equal(0, pool.LeakedBlocks);
    }

    [RequiresGccTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_double_free_a_foreign_and_an_interior_pointer_from_C_are_refused_and_counted(bool strict)
    {
        MemoryPoolStrategy pool = CreateExported(blockCount: 64, out NativeMemoryStrategy* self, strict);
        void* foreign = NativeMemory.Alloc(BlockSize);
        try
        {
            // Warm: the thread's object attached and its cache holding blocks, so the frees below reach the C code.
            var warm = (byte*)self->Allocate(self, BlockSize);
            self->Deallocate(self, warm);

            var first = (byte*)self->Allocate(self, BlockSize);
            var second = (byte*)self->Allocate(self, BlockSize);
            self->Deallocate(self, first);
            self->Deallocate(self, first); // double free
            self->Deallocate(self, foreign);
            self->Deallocate(self, second + 8); // interior
            self->Deallocate(self, null);

            StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
            Assert.Equal(4, statistics.RefusedDeallocations);
            Assert.Equal(1, statistics.LiveAllocations);

            // Nothing was corrupted: the freed block comes back once, and never while the live one is out.
            var again = (byte*)self->Allocate(self, BlockSize);
            var more = (byte*)self->Allocate(self, BlockSize);
            Assert.True(again != second && more != second && again != more);
            self->Deallocate(self, again);
            self->Deallocate(self, more);
            self->Deallocate(self, second);
            Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
        }
        finally
        {
            NativeMemory.Free(foreign);
            Assert.True(NativeExports.Destroy(self));
        }

        Assert.Equal(0, pool.LeakedBlocks);
    }

    [RequiresGccFact]
    public void Exhaustion_degrades_and_a_free_restores_and_a_faulted_pool_refuses_allocations_but_takes_blocks_back()
    {
        MemoryPoolStrategy pool = CreateExported(blockCount: 16, out NativeMemoryStrategy* self);
        try
        {
            var blocks = new List<nint>();
            for (int i = 0; i < 16; i++)
            {
                blocks.Add((nint)self->Allocate(self, BlockSize));
            }

            Assert.DoesNotContain(0, blocks);
            Assert.Equal(16, blocks.Distinct().Count());
            Assert.True(self->Allocate(self, BlockSize) == null);
            Assert.Equal(StrategyStatus.Degraded, pool.GetStatus());
            Assert.Equal(1, pool.StatusTracker.GetStatistics().FailedAllocations);

            self->Deallocate(self, (void*)blocks[^1]); // Degraded still takes blocks back, in C
            blocks.RemoveAt(blocks.Count - 1);
            blocks.Add((nint)self->Allocate(self, BlockSize)); // served by the thunk, which leaves Degraded
            Assert.NotEqual(0, blocks[^1]);
            Assert.Equal(StrategyStatus.Ready, pool.GetStatus());

            // Size 0 and above the block size are refused and counted, whoever serves the call.
            self->Deallocate(self, (void*)blocks[^1]);
            blocks.RemoveAt(blocks.Count - 1);
            Assert.True(self->Allocate(self, 0) == null);
            Assert.True(self->Allocate(self, BlockSize + 1) == null);
            Assert.Equal(2, pool.StatusTracker.GetStatistics().RefusedAllocations);

            Assert.True(pool.StatusTracker.TryFault());
            Assert.True(self->Allocate(self, BlockSize) == null);
            Assert.Equal(3, pool.StatusTracker.GetStatistics().RefusedAllocations);
            foreach (nint block in blocks)
            {
                self->Deallocate(self, (void*)block);
            }

            Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }
    }

    [RequiresGccFact]
    public void Blocks_parked_in_a_live_idle_threads_cache_by_C_serve_a_thread_that_finds_the_pool_empty()
    {
        const int Count = 64;
        MemoryPoolStrategy pool = CreateExported(blockCount: Count, out NativeMemoryStrategy* self);
        using var parked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        try
        {
            var owner = new Thread(() =>
            {
                // Allocated and freed in C: the blocks end in this thread's cache, which then stays alive and idle.
                var held = new List<nint>();
                for (int i = 0; i < Count / 2; i++)
                {
                    held.Add((nint)self->Allocate(self, BlockSize));
                }

                foreach (nint block in held)
                {
                    self->Deallocate(self, (void*)block);
                }

                parked.Set();
                release.Wait();
            });
            owner.Start();
            parked.Wait();

            // Every block, the parked ones included, serves this thread (in C as in .NET).
            var taken = new HashSet<nint>();
            for (int i = 0; i < Count; i++)
            {
                nint block = i % 2 == 0 ? (nint)self->Allocate(self, BlockSize) : (nint)pool.Allocate(BlockSize);
                Assert.NotEqual(0, block);
                Assert.True(taken.Add(block));
            }

            Assert.True(self->Allocate(self, BlockSize) == null);
            foreach (nint block in taken)
            {
                self->Deallocate(self, (void*)block);
            }

            release.Set();
            owner.Join();
            StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
            Assert.Equal(Count + (Count / 2), statistics.Allocations);
            Assert.Equal(statistics.Allocations, statistics.Deallocations);
        }
        finally
        {
            release.Set();
            Assert.True(NativeExports.Destroy(self));
        }

        Assert.Equal(0, pool.LeakedBlocks);
    }

    [RequiresGccFact]
    public void An_exited_threads_cache_filled_from_C_serves_the_threads_that_come_after_it()
    {
        const int Count = 64;
        MemoryPoolStrategy pool = CreateExported(blockCount: Count, out NativeMemoryStrategy* self);
        try
        {
            // Each thread allocates every block it can, frees them all (into its own cache, in C) and exits: the next
            // thread takes its object over (blocks included) or takes the blocks from it, and finds the pool whole.
            for (int generation = 0; generation < 4; generation++)
            {
                int served = 0;
                Workers.RunAndExit(() =>
                {
                    var held = new List<nint>();
                    for (void* block = self->Allocate(self, BlockSize); block != null; block = self->Allocate(self, BlockSize))
                    {
                        held.Add((nint)block);
                    }

                    served = held.Distinct().Count();
                    foreach (nint block in held)
                    {
                        self->Deallocate(self, (void*)block);
                    }
                });

                Assert.Equal(Count, served);
            }

            StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
            Assert.Equal(4L * Count, statistics.Allocations);
            Assert.Equal(statistics.Allocations, statistics.Deallocations);
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }

        Assert.Equal(0, pool.LeakedBlocks);
    }

    [RequiresGccFact]
    public void Threads_freeing_each_others_blocks_from_C_lose_nothing()
    {
        MemoryPoolStrategy pool = CreateExported(blockCount: 512, out NativeMemoryStrategy* self, strict: true);
        try
        {
            RunExchangingWorkers(self, pool.StatusTracker, threads: 4, operations: 20_000, held: 32, _ => BlockSize);
        }
        finally
        {
            Assert.True(NativeExports.Destroy(self));
        }

        Assert.Equal(0, pool.LeakedBlocks);
    }

    /// <summary>
    /// Threads that allocate (up to <paramref name="held"/> blocks each, of <paramref name="nextSize"/> bytes), stamp both
    /// ends, check their stamps before each free and hand half of their blocks to another thread to free, all through
    /// the vtable; afterwards nothing was refused and every allocation was freed.
    /// </summary>
    private static void RunExchangingWorkers(
        NativeMemoryStrategy* self, StatusTracker tracker, int threads, int operations, int held, Func<Random, nuint> nextSize)
    {
        var exchange = new ConcurrentQueue<nint>();
        Workers.Run(threads, worker =>
        {
            var random = new Random(worker);
            var mine = new List<(nint Block, nuint Size)>();
            for (int i = 0; i < operations; i++)
            {
                if (mine.Count < held && random.Next(3) != 0)
                {
                    nuint size = nextSize(random);
                    var block = (byte*)self->Allocate(self, size);
                    if (block != null)
                    {
                        // A block handed out twice at once would have a stamp overwritten by its other holder.
                        block[0] = (byte)worker;
                        block[size - 1] = (byte)worker;
                        mine.Add(((nint)block, size));
                    }
                }
                else if (mine.Count > 0)
                {
                    (nint block, nuint size) = mine[^1];
                    mine.RemoveAt(mine.Count - 1);
                    Assert.Equal(worker, ((byte*)block)[0]);
                    Assert.Equal(worker, ((byte*)block)[size - 1]);
                    if (random.Next(2) == 0)
                    {
                        exchange.Enqueue(block); // freed by another thread
                    }
                    else
                    {
                        self->Deallocate(self, (void*)block);
                    }
                }

                if (exchange.TryDequeue(out nint theirs))
                {
                    self->Deallocate(self, (void*)theirs);
                }
            }

            foreach ((nint block, _) in mine)
            {
                self->Deallocate(self, (void*)block);
            }
        });

        while (exchange.TryDequeue(out nint left))
        {
            self->Deallocate(self, (void*)left);
        }

        StrategyStatistics statistics = tracker.GetStatistics();
        Assert.Equal(0, statistics.RefusedDeallocations);
        Assert.Equal(statistics.Allocations, statistics.Deallocations);
        Assert.True(statistics.Allocations > threads * operations / 4);
    }

    [RequiresGccFact]
    public void Strategies_used_in_turn_by_one_thread_each_keep_their_own_blocks_and_counts()
    {
        // More pools than a thread's table has entries: some share an entry and re-attach on every switch.
        const int Pools = 300;
        var pools = new (MemoryPoolStrategy Pool, nint Self)[Pools];
        for (int i = 0; i < Pools; i++)
        {
            MemoryPoolStrategy pool = CreateExported(blockCount: 8, out NativeMemoryStrategy* self);
            pools[i] = (pool, (nint)self);
        }

        try
        {
            for (int round = 0; round < 3; round++)
            {
                var blocks = new nint[Pools];
                for (int i = 0; i < Pools; i++)
                {
                    var self = (NativeMemoryStrategy*)pools[i].Self;
                    blocks[i] = (nint)self->Allocate(self, BlockSize);
                    Assert.NotEqual(0, blocks[i]);
                    Assert.True(pools[i].Pool.Owns((void*)blocks[i]));
                }

                for (int i = 0; i < Pools; i++)
                {
                    var self = (NativeMemoryStrategy*)pools[i].Self;
                    self->Deallocate(self, (void*)blocks[i]);
                }
            }

            foreach ((MemoryPoolStrategy pool, _) in pools)
            {
                StrategyStatistics statistics = pool.StatusTracker.GetStatistics();
                Assert.Equal(3, statistics.Allocations);
                Assert.Equal(3, statistics.Deallocations);
                Assert.Equal(0, statistics.RefusedDeallocations);
            }
        }
        finally
        {
            foreach ((_, nint self) in pools)
            {
                Assert.True(NativeExports.Destroy((NativeMemoryStrategy*)self));
            }
        }
    }

    [RequiresGccFact]
    public void Calls_racing_a_destroy_are_served_or_refused_and_never_touch_freed_memory()
    {
        _ = Library.Value;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var pool = new MemoryPoolStrategy(BlockSize, 64);
            NativeStrategyHandle handle = pool.CreateNativeHandle(); // kept reachable: the slot is not reused meanwhile
            NativeMemoryStrategy* self = NativeExports.Publish(pool, handle);
            int destroyed = 0;
            RefusedCallCounts before = NativeStrategyHandle.RefusedCalls;
            Workers.Run(3, worker =>
            {
                if (worker == 0)
                {
                    Thread.SpinWait(20_000 * (attempt % 4));
                    Assert.True(NativeExports.Destroy(self));
                    Volatile.Write(ref destroyed, 1);
                    return;
                }

                // Until the destroy is seen, each call is served (the pool never runs out: one block per thread at a
                // time) or, once the destroy has begun, refused. The block itself is never written: like any
                // allocator's, it is gone once its pool is destroyed, which may happen between the two calls.
                while (Volatile.Read(ref destroyed) == 0)
                {
                    void* block = self->Allocate(self, BlockSize);
                    if (block != null)
                    {
                        self->Deallocate(self, block);
                    }
                }

                // After it: refused, with nothing touched (the caches and state bytes are freed).
                for (int i = 0; i < 100; i++)
                {
                    Assert.True(self->Allocate(self, BlockSize) == null);
                    self->Deallocate(self, self);
                }
            });

            Assert.Equal(StrategyStatus.Disposed, pool.GetStatus());

            // The calls after the destroy went through the C calls to the thunks, which found no strategy and counted
            // them (process-wide counts: other tests may add to them, never take away).
            RefusedCallCounts after = NativeStrategyHandle.RefusedCalls;
            Assert.True(after.Allocations - before.Allocations >= 200, $"allocations refused: {before} -> {after}");
            Assert.True(after.Deallocations - before.Deallocations >= 200, $"deallocations refused: {before} -> {after}");
            GC.KeepAlive(handle);
        }
    }

    [RequiresGccFact]
    public void A_handle_made_in_CSharp_keeps_its_thunks()
    {
        _ = Library.Value;
        using var pool = new MemoryPoolStrategy(BlockSize, 16);
        using NativeStrategyHandle handle = pool.CreateNativeHandle();
        NativeMemoryStrategy* self = handle.Pointer;

        // Its strategy may be disposed before the handle, so C is never given the pool's caches or state bytes.
        Assert.Equal(0, NativeVtableSlots.BlockCacheOf(NativeVtableSlots.From(self))->Published);
        void* block = self->Allocate(self, BlockSize);
        Assert.True(block != null);
        self->Deallocate(self, block);
        Assert.Equal(1, pool.StatusTracker.GetStatistics().Deallocations);
    }

    private static MemoryPoolStrategy CreateExported(int blockCount, out NativeMemoryStrategy* self, bool strict = false)
    {
        _ = Library.Value;
        var pool = new MemoryPoolStrategy(BlockSize, blockCount, 16, strict);
        self = NativeExports.Publish(pool, pool.CreateNativeHandle());
        Assert.Equal(1, NativeVtableSlots.BlockCacheOf(NativeVtableSlots.From(self))->Published);
        return pool;
    }

    /// <summary>Puts counting functions in place of the slot's thunks, which they call.</summary>
    private static void CountThunks(NativeMemoryStrategy* self)
    {
        NativeVtableSlots.BlockCache* cache = NativeVtableSlots.BlockCacheOf(NativeVtableSlots.From(self));
        s_allocateThunk = cache->Allocate;
        s_deallocateThunk = cache->Deallocate;
        s_allocateThunkCalls = 0;
        s_deallocateThunkCalls = 0;
        cache->Allocate = &CountedAllocate;
        cache->Deallocate = &CountedDeallocate;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void* CountedAllocate(NativeMemoryStrategy* self, nuint size)
    {
        s_allocateThunkCalls++;
        return s_allocateThunk(self, size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void CountedDeallocate(NativeMemoryStrategy* self, void* ptr)
    {
        s_deallocateThunkCalls++;
        s_deallocateThunk(self, ptr);
    }
}
