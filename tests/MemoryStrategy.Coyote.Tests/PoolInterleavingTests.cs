using System.Reflection;
using MemoryStrategy.Samples;
using Microsoft.Coyote.Specifications;

namespace MemoryStrategy.Coyote.Tests;

/// <summary>
/// The reference pool's engine under every interleaving Coyote explores, small enough (8 blocks, batches of 2, so
/// caches of 4) that every free overflows into the shared batch stack and every allocation soon refills from it. After
/// the racing steps the threads drain the pool: a block that sits on the free lists twice is handed out twice, and a
/// lost push leaves the pool short.
/// </summary>
public sealed class PoolInterleavingTests(ITestOutputHelper output)
{
    private const int Blocks = 8;

    [Fact]
    public void Two_frees_of_one_block_racing_each_other_in_strict_mode_succeed_once() => Systematic.Explore(output, 300, async () =>
    {
        using var pool = new FixedBlockPool(64, Blocks, strict: true, batchSize: 2);

        // Set-up on a thread of its own too: when it exits, its cache is an orphan the final drain reclaims.
        nint block = await Task.Run(() => Allocate(pool));
        int wins = 0;
        var drained = new List<nint>[2];

        void RacingFree()
        {
            if (Free(pool, block))
            {
                Interlocked.Increment(ref wins);
            }
        }

        await Task.WhenAll(Task.Run(RacingFree), Task.Run(RacingFree));

        // Only once both frees are over: a block allocated again in between may be freed again legitimately.
        await Task.WhenAll(Task.Run(() => drained[0] = Drain(pool)), Task.Run(() => drained[1] = Drain(pool)));

        Specification.Assert(wins == 1, $"{wins} frees of one block succeeded");
        AssertEveryBlockOnce(pool, drained);
    });

    [Fact]
    public void Allocations_and_frees_racing_across_threads_lose_no_block_and_share_none() => Systematic.Explore(output, 300, async () =>
    {
        using var pool = new FixedBlockPool(64, Blocks, batchSize: 2);
        nint[] mine = await Task.Run(() => new[] { Allocate(pool), Allocate(pool), Allocate(pool) });
        var drained = new List<nint>[2];

        await Task.WhenAll(
            Task.Run(() =>
            {
                // Frees blocks another thread allocated: they enter this thread's cache, then the shared stack.
                foreach (nint block in mine)
                {
                    Specification.Assert(Free(pool, block), "a live block was refused");
                }

                drained[0] = Drain(pool);
            }),
            Task.Run(() => drained[1] = Drain(pool)));

        AssertEveryBlockOnce(pool, drained);
    });

    [Fact]
    public void Frees_overflowing_two_caches_at_once_push_every_batch() => Systematic.Explore(output, 300, async () =>
    {
        // Twelve blocks, all allocated up front; each thread frees six into a cache that holds four, so both threads
        // push batches onto the shared stack at the same time.
        const int Count = 12;
        using var pool = new FixedBlockPool(64, Count, batchSize: 2);
        List<nint> all = await Task.Run(() => Drain(pool));
        Specification.Assert(all.Count == Count, $"set-up got {all.Count} blocks");

        await Task.WhenAll(
            Task.Run(() => all.Take(6).ToList().ForEach(block => Free(pool, block))),
            Task.Run(() => all.Skip(6).ToList().ForEach(block => Free(pool, block))));

        var again = await Task.Run(() => Drain(pool));
        again.AddRange(Drain(pool));
        int cached = CachedBlocks(pool);
        Specification.Assert(again.Distinct().Count() == again.Count, "a block was handed out twice");
        Specification.Assert(again.Count + cached == Count, $"drained {again.Count} blocks and {cached} sit in caches, of {Count}");
    });

    [Fact]
    public void Two_allocations_racing_for_the_blocks_parked_in_a_third_cache_are_both_served() => Systematic.Explore(output, 600, async () =>
    {
        // Every block allocated, then two freed by a third thread: they sit in its cache, the only free blocks. Two
        // threads then allocate one each, racing: one steals both (keeping one, moving the other into its own cache)
        // while the other finds the victim held, or emptied with the block still on its way. Both must be served.
        using var pool = new FixedBlockPool(64, Blocks, batchSize: 2);
        List<nint> all = await Task.Run(() => Drain(pool));
        Specification.Assert(all.Count == Blocks, $"set-up got {all.Count} blocks");
        await Task.Run(() =>
        {
            Free(pool, all[0]);
            Free(pool, all[1]);
        });

        nint[] got = new nint[2];
        await Task.WhenAll(Task.Run(() => got[0] = Allocate(pool)), Task.Run(() => got[1] = Allocate(pool)));

        Specification.Assert(got[0] != 0 && got[1] != 0, $"an allocation was refused with a block free: {got[0]:x}, {got[1]:x}");
        Specification.Assert(got[0] != got[1], "one block was handed out twice");
    });

    [Fact]
    public void A_thief_stealing_from_a_cache_its_owner_is_using_shares_no_block() => Systematic.Explore(output, 600, async () =>
    {
        // Every block allocated; two freed by the owner, who then allocates and frees one of them again and again: the
        // only free blocks are in its cache, so a thief's allocation steals from it while the owner is inside a call of
        // its own (the call's mark is the owner's flag: see PoolThread), or waits for it. Neither may be refused, and
        // they never hold the same block.
        using var pool = new FixedBlockPool(64, Blocks, batchSize: 2);
        List<nint> all = await Task.Run(() => Drain(pool));
        Specification.Assert(all.Count == Blocks, $"set-up got {all.Count} blocks");
        nint ownerHolds = 0, thiefHolds = 0;

        await Task.WhenAll(
            Task.Run(() =>
            {
                Free(pool, all[0]);
                Free(pool, all[1]);
                for (int i = 0; i < 3; i++)
                {
                    nint block = Allocate(pool);
                    Specification.Assert(block != 0, "the owner was refused with a block free");
                    Volatile.Write(ref ownerHolds, block);
                    Specification.Assert(block != Volatile.Read(ref thiefHolds), "the owner and the thief hold one block");
                    Volatile.Write(ref ownerHolds, 0);
                    Specification.Assert(Free(pool, block), "the owner's block was refused");
                }
            }),
            Task.Run(() =>
            {
                nint block = Allocate(pool);
                Volatile.Write(ref thiefHolds, block);
                Specification.Assert(block == 0 || block != Volatile.Read(ref ownerHolds), "the thief and the owner hold one block");
            }));

        // The thief finds no block only if it searched before the owner freed any. Every block held is then given back:
        // one held twice is refused the second time.
        var held = all.Skip(2).Append(thiefHolds).Where(block => block != 0).ToList();
        Specification.Assert(held.Distinct().Count() == held.Count, "a block was handed out twice");
        held.ForEach(block => Specification.Assert(Free(pool, block), "a live block was refused"));
        AssertEveryBlockOnce(pool, [Drain(pool)]);
    });

    private static unsafe nint Allocate(FixedBlockPool pool) => (nint)pool.Allocate();

    private static unsafe bool Free(FixedBlockPool pool, nint block) => pool.Free((void*)block);

    /// <summary>Allocates until the pool says it is exhausted.</summary>
    private static List<nint> Drain(FixedBlockPool pool)
    {
        var taken = new List<nint>();
        for (nint block = Allocate(pool); block != 0; block = Allocate(pool))
        {
            taken.Add(block);
        }

        return taken;
    }

    /// <summary>
    /// No block was handed out twice, and every block is accounted for: drained, or still in the cache of a thread that
    /// has not exited yet (an exhausted pool reclaims only the caches of exited threads, and when a finished task's
    /// thread exits is outside Coyote's control).
    /// </summary>
    private static void AssertEveryBlockOnce(FixedBlockPool pool, List<nint>[] drained)
    {
        var all = drained.SelectMany(d => d).Concat(Drain(pool)).ToList();
        int cached = CachedBlocks(pool);
        Specification.Assert(all.Count == all.Distinct().Count(), $"a block was handed out twice: {string.Join(", ", all.Select(a => a.ToString("x")))}");
        Specification.Assert(all.Count + cached == Blocks, $"{all.Count} blocks drained and {cached} cached, of {Blocks}");
    }

    /// <summary>The free blocks sitting in thread caches (the pool's private cache list, read by reflection).</summary>
    private static int CachedBlocks(FixedBlockPool pool)
    {
        var caches = (PoolThread[])typeof(FixedBlockPool).GetField("_caches", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(pool)!;
        return caches.Sum(cache => Volatile.Read(ref cache.Count));
    }
}
