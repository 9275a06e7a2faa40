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
