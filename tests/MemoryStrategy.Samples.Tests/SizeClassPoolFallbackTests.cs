using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// The fallback behind the size classes: the default pass-through is called through its nested entry points (its
/// statistics as <see cref="SizeClassPoolOptions.InnerStatistics"/> says, refusals always), any other strategy through
/// its public members.
/// </summary>
public unsafe class SizeClassPoolFallbackTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_default_fallback_counts_its_traffic_only_when_inner_statistics_are_on_and_refusals_always(bool innerStatistics)
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, InnerStatistics = innerStatistics });
        byte* large = (byte*)pool.Allocate(100_000);
        Assert.True(large is not null);
        large[99_999] = 1;
        Assert.False(pool.Owns(large + 16));

        pool.Deallocate(large);
        pool.Deallocate(large);      // double free: the fallback's
        pool.Deallocate(large + 16); // interior: nobody's, so the fallback's to refuse

        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((1L, 1L, 100_000L, 2L), (outer.Allocations, outer.Deallocations, outer.BytesRequested, outer.RefusedDeallocations));

        StrategyStatistics fallback = pool.FallbackTracker.GetStatistics();
        long counted = innerStatistics ? 1 : 0;
        Assert.Equal((counted, counted, 2L), (fallback.Allocations, fallback.Deallocations, fallback.RefusedDeallocations));
        Assert.Equal(StrategyStatus.Ready, pool.FallbackTracker.Status);
    }

    [Fact]
    public void An_exhausted_class_overflows_to_the_default_fallback_through_its_nested_entry_point()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 2, LargeClassBlocks = 2, InnerStatistics = true });
        int index = SizeClasses.IndexOf(64);
        var blocks = Enumerable.Range(0, 3).Select(_ => (nint)pool.Allocate(64)).ToList();

        Assert.Equal(1, pool.ClassOverflows);
        Assert.Equal(2, pool.ClassTracker(index).GetStatistics().Allocations);
        Assert.Equal(1, pool.FallbackTracker.GetStatistics().Allocations);
        Assert.Equal(64, pool.FallbackTracker.GetStatistics().BytesRequested);

        blocks.ForEach(block => pool.Deallocate((void*)block));
        Assert.Equal(1, pool.FallbackTracker.GetStatistics().Deallocations);
        Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_overflow_the_fallback_cannot_serve_is_not_counted_as_served(bool innerStatistics)
    {
        // A fallback with room for one 64-byte block: the first overflow of the exhausted class is served, the second
        // reaches the fallback and is refused.
        var arena = new BumpArenaStrategy(64);
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 2, LargeClassBlocks = 2, Fallback = arena, InnerStatistics = innerStatistics });
        var blocks = Enumerable.Range(0, 3).Select(_ => (nint)pool.Allocate(64)).ToList();
        Assert.DoesNotContain(0, blocks);
        Assert.Equal(1, pool.ClassOverflows);

        Assert.True(pool.Allocate(64) is null);
        Assert.Equal(1, pool.ClassOverflows);
        Assert.Equal(1, arena.StatusTracker.GetStatistics().Allocations);
        blocks.ForEach(block => pool.Deallocate((void*)block));
    }

    [Fact]
    public void Another_kind_of_fallback_is_called_through_its_public_members_and_counts_everything()
    {
        var arena = new BumpArenaStrategy(1 << 20);
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, Fallback = arena, InnerStatistics = false });
        Assert.Equal((nuint)(1 << 20), pool.MaxAllocationSize);

        byte* large = (byte*)pool.Allocate(40_000);
        Assert.True(arena.Owns(large));
        large[39_999] = 7;
        Assert.True(pool.Allocate((1 << 20) + 1) is null); // above the arena's limit: refused by the pool

        pool.Deallocate(large);
        pool.Deallocate(large); // refused by the arena

        // Its own wrapper counted what reached it, whatever InnerStatistics says.
        StrategyStatistics fallback = arena.StatusTracker.GetStatistics();
        Assert.Equal((1L, 1L, 1L), (fallback.Allocations, fallback.Deallocations, fallback.RefusedDeallocations));
        Assert.Equal(1, pool.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.Equal(1, pool.StatusTracker.GetStatistics().RefusedAllocations);
    }

    [Fact]
    public void A_fallback_that_throws_is_faulted_its_request_fails_and_dispose_does_not_wait_for_the_thread()
    {
        var fallback = new ThrowingFallback();
        var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, Fallback = fallback });
        void* fromCaller = null;
        using var returned = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // The failing call on a thread that stays alive afterwards: had the exception gone through the pool, that
        // thread would still be marked in a call, and Dispose would wait for it to exit.
        var caller = new Thread(() =>
        {
            fromCaller = pool.Allocate(100_000);
            returned.Set();
            release.Wait();
        });
        caller.Start();
        returned.Wait();

        Assert.True(fromCaller is null);
        Assert.IsType<InvalidOperationException>(pool.FallbackException);
        Assert.Equal(StrategyStatus.Faulted, fallback.GetStatus());
        Assert.Equal(1, pool.StatusTracker.FailedInnerStrategies);
        Assert.False(pool.Validate()); // the pool serves through its fallback: it faults with it

        var dispose = new Thread(pool.Dispose) { IsBackground = true };
        dispose.Start();
        bool disposed = dispose.Join(TimeSpan.FromMinutes(2)); // a liveness bound, not a timing: without the fix it never returns
        release.Set();
        caller.Join();
        Assert.True(disposed, "Dispose waited for a thread that had left the pool");
        Assert.Equal(StrategyStatus.Disposed, fallback.GetStatus());
    }

    [Fact]
    public void A_constructor_that_fails_leaves_a_supplied_fallback_as_it_was_given()
    {
        using var fallback = new NativePassThroughStrategy();

        // Address space that cannot be reserved: a clear error, and the fallback untouched, so it can be passed again.
        var tooMany = Assert.Throws<OutOfMemoryException>(() => new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = int.MaxValue, Fallback = fallback }));
        Assert.Contains("SmallClassBlocks = 2147483647", tooMany.Message);
        Assert.Null(fallback.StatusTracker.Owner);
        Assert.Equal(StrategyStatus.Ready, fallback.GetStatus());

        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, Fallback = fallback });
        Assert.Same(pool.StatusTracker, fallback.StatusTracker.Owner);
    }

    [Fact]
    public void A_faulted_fallback_is_refused_before_anything_is_built_and_stays_the_callers()
    {
        var fallback = new NativePassThroughStrategy();
        Assert.True(fallback.Validate());
        Assert.True(fallback.StatusTracker.TryFault());

        var error = Assert.Throws<InvalidOperationException>(() => new SizeClassPoolStrategy(new SizeClassPoolOptions { Fallback = fallback }));
        Assert.Contains("is Faulted: it cannot serve", error.Message);
        Assert.Null(fallback.StatusTracker.Owner);
        Assert.Equal(StrategyStatus.Faulted, fallback.GetStatus());
        fallback.Dispose(); // still the caller's to dispose
        Assert.Equal(StrategyStatus.Disposed, fallback.GetStatus());
    }

    [Fact]
    public void The_reserved_bytes_read_zero_once_the_pool_is_disposed()
    {
        var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8 });
        Assert.True(pool.ReservedBytes > 0);
        pool.Dispose();
        Assert.Equal((nuint)0, pool.ReservedBytes);
    }

    [Fact]
    public void Dispose_gives_back_the_blocks_the_default_fallback_served_and_nobody_freed()
    {
        // Blocks this large are mapped by malloc one by one (above the largest mmap threshold glibc adapts to, 32 MiB),
        // so glibc's count of mapped bytes shows them come and go; no other test maps blocks this large.
        const int Block = 40 << 20;
        var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8 });
        long before = MappedBytes();
        for (int i = 0; i < 3; i++)
        {
            byte* block = (byte*)pool.Allocate(Block);
            Assert.True(block is not null);
            block[Block - 1] = 1;
        }

        long allocated = MappedBytes();
        pool.Dispose();
        long after = MappedBytes();

        Assert.True(allocated - before >= 3L * Block, $"mapped {before} -> {allocated}");
        Assert.True(allocated - after >= 3L * Block, $"mapped {allocated} -> {after} after Dispose");

        // The pool's statistics still show what its user never freed.
        Assert.Equal(3, pool.StatusTracker.GetStatistics().LiveAllocations);
    }

    [Fact]
    public void A_fallback_whose_Dispose_throws_still_lets_the_pool_release_its_classes_memory()
    {
        // A supplied fallback's Dispose may throw (a tracked strategy whose core threw while its live blocks were
        // handed back): the exception is the caller's to see, but the classes' 110 MiB reservation must not stay behind.
        var fallback = new DisposeThrowingFallback();
        var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { Fallback = fallback });
        Assert.True(pool.Allocate(64) is not null);
        Assert.NotEqual((nuint)0, pool.ReservedBytes);

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(pool.Dispose);

        Assert.Equal("the fallback's own failure at Dispose", error.Message);
        Assert.Equal((nuint)0, pool.ReservedBytes);
        Assert.Equal(StrategyStatus.Disposed, pool.ClassTracker(0).Status);
        Assert.Equal(StrategyStatus.Disposed, fallback.GetStatus());
    }

    /// <summary>glibc's bytes in blocks it mapped one by one (<c>mallinfo2().hblkhd</c>).</summary>
    private static long MappedBytes() => (long)MallocInfo().MappedBlockBytes;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 MallocInfo();

    /// <summary>glibc's <c>struct mallinfo2</c> (ten <c>size_t</c> fields); the fifth is <c>hblkhd</c>.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena;
        public nuint OrdinaryBlocks;
        public nuint SmallBlocks;
        public nuint MappedBlocks;
        public nuint MappedBlockBytes;
        public nuint UsmBlocks;
        public nuint FreeSmallBytes;
        public nuint AllocatedBytes;
        public nuint FreeBytes;
        public nuint KeepCost;
    }

    /// <summary>A hand-written fallback whose <c>Dispose</c> throws once it is disposed: what a user's own strategy may do.</summary>
    private sealed class DisposeThrowingFallback : IMemoryStrategy
    {
        public StatusTracker StatusTracker { get; } = new("ThrowingAtDispose");

        public nuint MaxAllocationSize => 1 << 20;

        public void* Allocate(nuint size) => null;

        public void Deallocate(void* ptr)
        {
        }

        public bool Owns(void* ptr) => false;

        public StrategyStatus GetStatus() => StatusTracker.Status;

        public bool Validate() => StatusTracker.TryInitialize(invariantsHold: true) || StatusTracker.IsServing;

        public void Dispose()
        {
            if (StatusTracker.TryDispose())
            {
                throw new InvalidOperationException("the fallback's own failure at Dispose");
            }
        }
    }

    [Fact]
    public void A_fallback_that_cannot_tell_its_own_blocks_still_has_their_frees_counted_as_frees()
    {
        // A fallback with no ownership test (its Owns answers false, as a generated strategy with no [Owns] does): the
        // pool remembers the blocks it served through it, so their frees count as frees (not refusals), nothing stays
        // live in the pool's statistics, and the pool answers Owns for them; any other pointer still goes to the
        // fallback, which decides (here: it sees the second free of a block and ignores it).
        var fallback = new OwnerlessFallback();
        var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 2, LargeClassBlocks = 2, Fallback = fallback });
        void* large = pool.Allocate(100_000);
        Assert.True(large is not null);
        Assert.True(pool.Owns(large));
        Assert.False(fallback.Owns(large));

        pool.Deallocate(large);
        Assert.False(pool.Owns(large));
        pool.Deallocate(large);

        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((1L, 1L, 1L, 0L), (outer.Allocations, outer.Deallocations, outer.RefusedDeallocations, outer.LiveAllocations));
        Assert.Equal((1, 1), (fallback.Frees, fallback.UnknownFrees));
        pool.Dispose();
        Assert.Equal(0, fallback.Live);
    }

    /// <summary>
    /// A hand-written fallback with no ownership test (<c>Owns</c> is false for every pointer): it frees what it handed
    /// out and ignores anything else, counting both.
    /// </summary>
    private sealed class OwnerlessFallback : IMemoryStrategy
    {
        private readonly HashSet<nint> _live = [];

        public int Frees { get; private set; }

        public int UnknownFrees { get; private set; }

        public int Live => _live.Count;

        public StatusTracker StatusTracker { get; } = new("Ownerless");

        public nuint MaxAllocationSize => 1 << 20;

        public void* Allocate(nuint size)
        {
            void* block = NativeMemory.Alloc(size);
            _live.Add((nint)block);
            return block;
        }

        public void Deallocate(void* ptr)
        {
            if (_live.Remove((nint)ptr))
            {
                NativeMemory.Free(ptr);
                Frees++;
            }
            else
            {
                UnknownFrees++;
            }
        }

        public bool Owns(void* ptr) => false;

        public StrategyStatus GetStatus() => StatusTracker.Status;

        public bool Validate() => StatusTracker.TryInitialize(invariantsHold: true) || StatusTracker.IsServing;

        public void Dispose() => StatusTracker.TryDispose();
    }

    /// <summary>A hand-written fallback whose allocation throws: what a user's own strategy may do.</summary>
    private sealed class ThrowingFallback : IMemoryStrategy
    {
        public StatusTracker StatusTracker { get; } = new("Throwing");

        public nuint MaxAllocationSize => 1 << 20;

        public void* Allocate(nuint size) => throw new InvalidOperationException("the fallback's own failure");

        public void Deallocate(void* ptr)
        {
        }

        public bool Owns(void* ptr) => false;

        public StrategyStatus GetStatus() => StatusTracker.Status;

        public bool Validate() => StatusTracker.TryInitialize(invariantsHold: true) || StatusTracker.IsServing;

        public void Dispose() => StatusTracker.TryDispose();
    }

    // docs/composing-strategies.md, "Blocks that cross paths": the fallback's own entry points stay open, the fallback
    // owns its blocks whichever path they took, and each side counts its half; a double free is still refused.
    [Fact]
    public void A_block_that_crosses_between_the_fallback_and_the_pool_is_taken_back_once_by_its_owner()
    {
        var fallback = new NativePassThroughStrategy();
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 2, LargeClassBlocks = 2, Fallback = fallback });

        void* direct = fallback.Allocate(100_000);   // from the fallback itself, freed through the pool
        pool.Deallocate(direct);
        pool.Deallocate(direct);
        void* routed = pool.Allocate(100_000);       // from the pool, freed through the fallback itself
        fallback.Deallocate(routed);
        fallback.Deallocate(routed);

        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((1L, 1L, 1L), (outer.Allocations, outer.Deallocations, outer.RefusedDeallocations));
        StrategyStatistics inner = pool.FallbackTracker.GetStatistics();
        Assert.Equal((1L, 1L, 2L), (inner.Allocations, inner.Deallocations, inner.RefusedDeallocations));
        Assert.False(pool.Owns(direct) || pool.Owns(routed));
    }
}
