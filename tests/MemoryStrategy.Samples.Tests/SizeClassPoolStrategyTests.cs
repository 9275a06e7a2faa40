using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

/// <summary>The size-class pool: routing to classes and the fallback, ownership and refusals, outer and inner statistics.</summary>
public unsafe class SizeClassPoolStrategyTests
{
    /// <summary>Small pools, so the tests reserve little address space; the inner strategies count their traffic.</summary>
    private static SizeClassPoolOptions Small(int blocks = 64, IMemoryStrategy? fallback = null) =>
        new() { SmallClassBlocks = blocks, LargeClassBlocks = blocks, Fallback = fallback, InnerStatistics = true };

    [Fact]
    public void The_defaults_hold_4096_blocks_per_class_up_to_4_KiB_and_serve_up_to_1_GiB()
    {
        using var pool = new SizeClassPoolStrategy();

        for (int i = 0; i < SizeClasses.Count; i++)
        {
            Assert.Equal(SizeClasses.BlockSize(i) <= 4096 ? 4096 : 512, pool.ClassBlockCount(i));
        }

        Assert.Equal((nuint)SizeClassPoolStrategy.Limit, pool.MaxAllocationSize);
        Assert.False(new SizeClassPoolOptions().InnerStatistics);
        Assert.Equal(StrategyStatus.Ready, pool.FallbackTracker.Status);
        Assert.IsType<NativePassThroughStrategy>(typeof(SizeClassPoolStrategy)
            .GetField("_fallback", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(pool));
    }

    // The per-class accessors take 0 .. SizeClasses.Count - 1, as documented: anything else is an argument error that
    // names the index and the range, not an IndexOutOfRangeException from the array behind them.
    [Theory]
    [InlineData(-1)]
    [InlineData(SizeClasses.Count)]
    [InlineData(int.MaxValue)]
    public void A_class_index_outside_the_classes_is_an_argument_error(int index)
    {
        using var pool = new SizeClassPoolStrategy(Small());

        var tracker = Assert.Throws<ArgumentOutOfRangeException>(() => pool.ClassTracker(index));
        Assert.Equal("index", tracker.ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => pool.ClassBlockCount(index)).ParamName);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(16, 0)]
    [InlineData(17, 1)]
    [InlineData(1000, 11)] // 1024 B
    [InlineData(4096, 15)]
    [InlineData(32 * 1024, 21)]
    public void A_request_goes_to_the_smallest_class_that_holds_it(int size, int expectedClass)
    {
        using var pool = new SizeClassPoolStrategy(Small());

        byte* block = (byte*)pool.Allocate((nuint)size);
        Assert.True(block is not null);
        new Span<byte>(block, size).Fill(0x5A);

        Assert.Equal(expectedClass, SizeClasses.IndexOf((nuint)size));
        Assert.Equal(1, pool.ClassTracker(expectedClass).GetStatistics().Allocations);
        Assert.Equal((long)size, pool.ClassTracker(expectedClass).GetStatistics().BytesRequested);
        Assert.Equal(0, pool.FallbackTracker.GetStatistics().Allocations);
        Assert.True(pool.Owns(block));

        pool.Deallocate(block);
        Assert.Equal(1, pool.ClassTracker(expectedClass).GetStatistics().Deallocations);
        Assert.False(pool.Owns(block));
    }

    [Fact]
    public void Requests_above_32_KiB_go_to_the_fallback_and_come_back_to_it()
    {
        using var pool = new SizeClassPoolStrategy(Small());

        byte* block = (byte*)pool.Allocate(32 * 1024 + 1);
        Assert.True(block is not null);
        block[32 * 1024] = 1;
        Assert.True(pool.Owns(block));
        pool.Deallocate(block);

        StrategyStatistics fallback = pool.FallbackTracker.GetStatistics();
        Assert.Equal((1, 1, 32L * 1024 + 1), (fallback.Allocations, fallback.Deallocations, fallback.BytesRequested));
        Assert.All(Enumerable.Range(0, SizeClasses.Count), i => Assert.Equal(0, pool.ClassTracker(i).GetStatistics().Allocations));
    }

    [Fact]
    public void An_exhausted_class_overflows_to_the_fallback_and_each_block_returns_to_its_owner()
    {
        using var pool = new SizeClassPoolStrategy(Small(blocks: 2));

        nint[] blocks = [(nint)pool.Allocate(64), (nint)pool.Allocate(64), (nint)pool.Allocate(64)];

        Assert.All(blocks, block => Assert.NotEqual(0, block));
        Assert.Equal(1, pool.ClassOverflows);
        Assert.Equal(2, pool.ClassTracker(SizeClasses.IndexOf(64)).GetStatistics().Allocations);
        Assert.Equal(1, pool.ClassTracker(SizeClasses.IndexOf(64)).GetStatistics().FailedAllocations);
        Assert.Equal(1, pool.FallbackTracker.GetStatistics().Allocations);
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());

        foreach (nint block in blocks)
        {
            pool.Deallocate((void*)block);
        }

        Assert.Equal(2, pool.ClassTracker(SizeClasses.IndexOf(64)).GetStatistics().Deallocations);
        Assert.Equal(1, pool.FallbackTracker.GetStatistics().Deallocations);
        Assert.Equal((3L, 3L, 0L), Counts(pool.StatusTracker.GetStatistics()));
    }

    [Fact]
    public void Double_interior_and_foreign_frees_are_refused_counted_and_change_nothing()
    {
        using var pool = new SizeClassPoolStrategy(Small());
        byte* small = (byte*)pool.Allocate(100);
        byte* large = (byte*)pool.Allocate(100_000);
        void* foreign = NativeMemory.Alloc(64);
        long onStack = 0;

        pool.Deallocate(small);
        pool.Deallocate(small);           // double free, class pool
        pool.Deallocate(large + 16);      // interior, fallback
        pool.Deallocate(foreign);         // never ours
        pool.Deallocate(&onStack);        // never ours
        pool.Deallocate(small + 16);      // interior, class pool (and freed)
        pool.Deallocate(large);
        pool.Deallocate(large);           // double free, fallback

        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal((2L, 2L, 0L), Counts(outer));
        Assert.Equal(6, outer.RefusedDeallocations);
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());

        // Each refusal is also the owner's: two in the 128 B class, four in the fallback (whatever is outside the classes).
        Assert.Equal(2, pool.ClassTracker(SizeClasses.IndexOf(100)).GetStatistics().RefusedDeallocations);
        Assert.Equal(4, pool.FallbackTracker.GetStatistics().RefusedDeallocations);

        // The pool still works, and hands the freed block out again.
        Assert.True(pool.Allocate(100) == small);
        NativeMemory.Free(foreign);
    }

    [Fact]
    public void The_outer_statistics_count_what_users_asked_for_and_the_inner_ones_what_reached_them()
    {
        using var pool = new SizeClassPoolStrategy(Small());
        nuint[] sizes = [8, 24, 24, 700, 5000, 40_000, 1 << 20];
        var blocks = sizes.Select(size => (nint)pool.Allocate(size)).ToList();

        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal(sizes.Length, outer.Allocations);
        Assert.Equal(sizes.Sum(size => (long)size), outer.BytesRequested);

        long innerAllocations = pool.FallbackTracker.GetStatistics().Allocations
            + Enumerable.Range(0, SizeClasses.Count).Sum(i => pool.ClassTracker(i).GetStatistics().Allocations);
        Assert.Equal(outer.Allocations, innerAllocations);
        Assert.Equal(2, pool.ClassTracker(SizeClasses.IndexOf(24)).GetStatistics().Allocations);
        Assert.Equal(2, pool.FallbackTracker.GetStatistics().Allocations);

        foreach (nint block in blocks)
        {
            pool.Deallocate((void*)block);
        }

        Assert.Equal(0, pool.StatusTracker.GetStatistics().LiveAllocations);
        Assert.All(Enumerable.Range(0, SizeClasses.Count), i => Assert.Equal(0, pool.ClassTracker(i).GetStatistics().LiveAllocations));
    }

    [Fact]
    public void Sizes_outside_1_to_the_limit_are_refused_by_the_outer_strategy_alone()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 8, LargeClassBlocks = 8, MaxAllocationSize = 1 << 16 });

        Assert.True(pool.Allocate(0) is null);
        Assert.True(pool.Allocate((1 << 16) + 1) is null);
        Assert.True(pool.Allocate(nuint.MaxValue) is null);

        Assert.Equal(3, pool.StatusTracker.GetStatistics().RefusedAllocations);
        Assert.Equal(0, pool.FallbackTracker.GetStatistics().RefusedAllocations);
        Assert.Equal((nuint)(1 << 16), pool.MaxAllocationSize);
    }

    [Fact]
    public void Disposing_an_inner_strategy_before_its_owner_is_refused_with_a_clear_error()
    {
        var fallback = new NativePassThroughStrategy();
        var pool = new SizeClassPoolStrategy(Small(fallback: fallback));

        var error = Assert.Throws<InvalidOperationException>(fallback.Dispose);
        Assert.Contains("held by 'SizeClassPool'", error.Message);
        Assert.Equal(StrategyStatus.Ready, fallback.GetStatus());
        Assert.Same(pool.StatusTracker, fallback.StatusTracker.Owner);
        Assert.Equal("fallback", fallback.StatusTracker.Role);

        pool.Dispose();
        Assert.Equal(StrategyStatus.Disposed, fallback.GetStatus());
        Assert.Equal(StrategyStatus.Disposed, pool.ClassTracker(0).Status);
        fallback.Dispose(); // a second dispose is harmless
    }

    [Fact]
    public void A_fallback_held_by_another_pool_or_a_cycle_is_refused()
    {
        using var fallback = new NativePassThroughStrategy();
        using var first = new SizeClassPoolStrategy(Small(fallback: fallback));

        var taken = Assert.Throws<InvalidOperationException>(() => new SizeClassPoolStrategy(Small(fallback: fallback)));
        Assert.Contains("already held by 'SizeClassPool'", taken.Message);

        // first holds fallback: fallback may not hold first, and nothing may hold itself.
        var cycle = Assert.Throws<InvalidOperationException>(() => first.StatusTracker.AttachTo(fallback.StatusTracker, "inner"));
        Assert.Contains("hold each other", cycle.Message);
        Assert.Throws<InvalidOperationException>(() => first.StatusTracker.AttachTo(first.StatusTracker, "itself"));
        Assert.Null(first.StatusTracker.Owner);
    }

    [Fact]
    public void A_disposed_fallback_is_refused()
    {
        var fallback = new NativePassThroughStrategy();
        fallback.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => new SizeClassPoolStrategy(Small(fallback: fallback)));
        Assert.Contains("The fallback strategy 'NativePassThrough' is disposed", error.Message);
    }

    [Fact]
    public void After_dispose_everything_is_refused()
    {
        var pool = new SizeClassPoolStrategy(Small());
        void* block = pool.Allocate(64);
        pool.Dispose();

        Assert.True(pool.Allocate(64) is null);
        Assert.False(pool.Owns(block));
        pool.Deallocate(block);
        Assert.Equal(1, pool.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.Equal(1, pool.ClassTracker(SizeClasses.IndexOf(64)).GetStatistics().LiveAllocations);
    }

    [Fact]
    public void Two_threads_allocating_mixed_sizes_lose_and_corrupt_nothing()
    {
        using var pool = new SizeClassPoolStrategy(Small(blocks: 256));
        const int Rounds = 20_000;

        Workers.Run(2, worker =>
        {
            var random = new Random(worker);
            var held = new List<(nint Block, int Size, byte Stamp)>();
            for (int i = 0; i < Rounds; i++)
            {
                if (held.Count < 32 && random.Next(3) != 0)
                {
                    int size = random.Next(8) == 0 ? random.Next(1, 70_000) : random.Next(1, 4097);
                    byte* block = (byte*)pool.Allocate((nuint)size);
                    Assert.True(block is not null);
                    byte stamp = (byte)random.Next(256);
                    new Span<byte>(block, size).Fill(stamp);
                    held.Add(((nint)block, size, stamp));
                }
                else if (held.Count > 0)
                {
                    int at = random.Next(held.Count);
                    (nint block, int size, byte stamp) = held[at];
                    held.RemoveAt(at);
                    Assert.True(new Span<byte>((void*)block, size).IndexOfAnyExcept(stamp) < 0, "a block was overwritten while held");
                    pool.Deallocate((void*)block);
                }
            }

            foreach ((nint block, _, _) in held)
            {
                pool.Deallocate((void*)block);
            }
        });

        StrategyStatistics outer = pool.StatusTracker.GetStatistics();
        Assert.Equal(outer.Allocations, outer.Deallocations);
        Assert.Equal((0L, 0L, 0L), (outer.RefusedDeallocations, outer.FailedAllocations, outer.RefusedAllocations));
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
    }

    private static (long Allocations, long Deallocations, long Live) Counts(StrategyStatistics s) =>
        (s.Allocations, s.Deallocations, s.LiveAllocations);
}
