using Microsoft.Coyote.Specifications;

namespace MemoryStrategy.Coyote.Tests;

/// <summary>
/// The live-pointer registry under every interleaving Coyote explores, in a table small enough that the threads'
/// operations collide on slots and run into resizes: no add is lost, and of two removals of one address exactly one
/// succeeds (the racing double free is refused).
/// </summary>
public sealed class RegistryInterleavingTests(ITestOutputHelper output)
{
    /// <summary>Block-like addresses: 64-byte aligned, past the first page.</summary>
    private static nint Address(int i) => 0x10000 + (i * 64);

    [Fact]
    public void Two_frees_of_one_block_racing_each_other_succeed_once() => Systematic.Explore(output, 300, async () =>
    {
        var registry = new LivePointerRegistry(16);
        registry.TryAdd(Address(1));
        int removed = 0;

        void Free()
        {
            if (registry.TryRemove(Address(1)))
            {
                Interlocked.Increment(ref removed);
            }
        }

        await Task.WhenAll(Task.Run(Free), Task.Run(Free));

        Specification.Assert(removed == 1, $"{removed} frees of one block succeeded");
        Specification.Assert(!registry.Contains(Address(1)), "the block is still live");
    });

    [Fact]
    public void A_free_racing_the_freeze_of_its_slot_stays_freed_in_the_grown_table() => Systematic.ExploreAtomics(output, 500, async () =>
    {
        // 16 slots grow past 8 used: 8 live addresses, then one more add publishes a resize and starts moving slots from
        // index 0, freezing each key (a CAS from the key to its frozen form) before copying it into the new table. The
        // free must be the one racing that freeze: it checked for a resize before the resize was published (a later one
        // would help the resize instead), read its key, and its CAS lands between the mover's read and its freeze. A
        // freeze that overwrote the tombstone would copy the freed address into the new table, alive again.
        //
        // The layout makes that schedule common rather than rare. The freed address sits in slot 0, the first one moved,
        // at the end of a probe chain that wraps around from slot 13, so the free walks three slots after its check
        // while the mover reaches slot 0. And the free starts after a short delay Coyote picks per schedule (its own
        // controlled random choice), so some schedules line its check up with the publication. With the freeze's CAS
        // replaced by a plain store, 5 runs of 500 schedules each found the resurrected address, after 5 to 178.
        var registry = new LivePointerRegistry(16);
        const int Chain = 3;
        nint[] fillers = AddressesWithHome(16 - Chain, Chain, 2000);
        nint first = AddressesWithHome(16 - Chain, 1, 5000)[0];
        foreach (nint filler in fillers)
        {
            registry.TryAdd(filler);
        }

        Specification.Assert(registry.TryAdd(first), "the first address was refused");
        for (int i = 1; registry.Count < 8; i++)
        {
            registry.TryAdd(Address(i));
        }

        int delay = Microsoft.Coyote.Random.Generator.Create().NextInteger(8);
        bool freed = false;
        Task grow = Task.Run(() => registry.TryAdd(Address(100)));
        Task free = Task.Run(() =>
        {
            var pace = new Pace();
            for (int i = 0; i < delay; i++)
            {
                pace.Step();
            }

            freed = registry.TryRemove(first);
        });
        await Task.WhenAll(grow, free);

        Specification.Assert(freed, "the free failed");
        Specification.Assert(!registry.Contains(first), $"the freed address is live again (delay {delay})");
        Specification.Assert(registry.Count == 8, $"{registry.Count} live addresses, expected 8");
    });

    /// <summary>
    /// Block-like addresses whose home slot in a 16-slot table is <paramref name="home"/> (the registry hashes the
    /// address times 0x9E3779B97F4A7C15 and keeps the top 4 bits).
    /// </summary>
    private static nint[] AddressesWithHome(int home, int count, int from)
    {
        var found = new List<nint>();
        for (int i = from; found.Count < count; i++)
        {
            if ((int)(((ulong)Address(i) * 0x9E3779B97F4A7C15UL) >> 60) == home)
            {
                found.Add(Address(i));
            }
        }

        return [.. found];
    }

    /// <summary>One field store per step: each is a point where Coyote may switch tasks.</summary>
    private sealed class Pace
    {
        private int _steps;

        public void Step() => _steps++;
    }

    [Fact]
    public void Allocations_and_frees_racing_through_resizes_lose_nothing() => Systematic.Explore(output, 200, async () =>
    {
        // 16 slots grow past 8 used: the two threads' 12 adds force resizes while the other thread adds and removes.
        var registry = new LivePointerRegistry(16);

        void Work(int first)
        {
            for (int i = first; i < first + 6; i++)
            {
                Specification.Assert(registry.TryAdd(Address(i)), $"adding {i} failed");
            }

            for (int i = first; i < first + 6; i += 2)
            {
                Specification.Assert(registry.TryRemove(Address(i)), $"removing {i} failed");
            }
        }

        await Task.WhenAll(Task.Run(() => Work(0)), Task.Run(() => Work(100)));

        foreach (int first in new[] { 0, 100 })
        {
            for (int i = first; i < first + 6; i++)
            {
                bool expected = (i - first) % 2 == 1;
                Specification.Assert(registry.Contains(Address(i)) == expected, $"address {i}: present {!expected}, expected {expected}");
            }
        }

        Specification.Assert(registry.Count == 6, $"{registry.Count} live addresses, expected 6");
    });
}
