using System.Collections.Concurrent;
using static MemoryStrategy.Runtime.Tests.Registry.LivePointerRegistryTests;

namespace MemoryStrategy.Runtime.Tests.Registry;

/// <summary>
/// The registry under 2 to 8 threads (oversubscribed on a 2-core machine on purpose), starting from the smallest
/// table so that resizes run concurrently with every kind of operation. Counts are fixed; nothing is timed.
/// </summary>
public sealed class LivePointerRegistryConcurrencyTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Disjoint_adds_and_removes_all_succeed_across_resizes(int threads)
    {
        const int PerThread = 20_000;
        var registry = new LivePointerRegistry(initialCapacity: 16);
        int failures = 0;

        Workers.Run(threads, thread =>
        {
            long first = (long)thread * PerThread;
            for (long i = first; i < first + PerThread; i++)
            {
                if (!registry.TryAdd(Address(i)))
                {
                    Interlocked.Increment(ref failures);
                }
            }

            for (long i = first; i < first + PerThread; i++)
            {
                // A key this thread added stays visible while other threads grow the table.
                if (!registry.Contains(Address(i)) || !registry.TryRemove(Address(i)) || registry.Contains(Address(i)))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        Assert.Equal(0, failures);
        Assert.Equal(0, registry.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Addresses_recycled_between_threads_are_never_lost_or_duplicated(int threads)
    {
        // Emulates a core: an address is handed to one thread (TryAdd), passed to another (TryRemove), and only then
        // becomes free to be handed out again, by any thread.
        const int Addresses = 2_000;
        const int OperationsPerThread = 100_000;
        var registry = new LivePointerRegistry(initialCapacity: 16);
        var free = new ConcurrentQueue<nint>(Enumerable.Range(0, Addresses).Select(i => Address(i)));
        var live = new ConcurrentQueue<nint>();
        int failures = 0;

        Workers.Run(threads, thread =>
        {
            var random = new Random(thread);
            for (int op = 0; op < OperationsPerThread; op++)
            {
                if (random.Next(2) == 0 && free.TryDequeue(out nint address))
                {
                    if (!registry.TryAdd(address))
                    {
                        Interlocked.Increment(ref failures);
                    }

                    live.Enqueue(address);
                }
                else if (live.TryDequeue(out address))
                {
                    if (!registry.TryRemove(address))
                    {
                        Interlocked.Increment(ref failures);
                    }

                    free.Enqueue(address);
                }
            }
        });

        Assert.Equal(0, failures);
        Assert.Equal(live.Count, registry.Count);
        Assert.All(live, address => Assert.True(registry.Contains(address)));
        Assert.All(free, address => Assert.False(registry.Contains(address)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Of_threads_racing_to_remove_one_address_exactly_one_wins(int threads)
    {
        const int Keys = 20_000;
        var registry = new LivePointerRegistry(initialCapacity: 16);
        for (int i = 0; i < Keys; i++)
        {
            Assert.True(registry.TryAdd(Address(i)));
        }

        var wins = new int[Keys];
        Workers.Run(threads, thread =>
        {
            for (int i = 0; i < Keys; i++)
            {
                int key = (i + (thread * Keys / threads)) % Keys;
                if (registry.TryRemove(Address(key)))
                {
                    Interlocked.Increment(ref wins[key]);
                }
            }
        });

        Assert.All(wins, count => Assert.Equal(1, count));
        Assert.Equal(0, registry.Count);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Racing_removes_stay_exact_while_other_threads_force_resizes(int threads)
    {
        // Half the threads race to remove a shared set; the other half add and remove their own keys, so the table is
        // resized (frozen, moved, reopened) underneath the racing removals.
        const int Shared = 10_000;
        var registry = new LivePointerRegistry(initialCapacity: 16);
        for (int i = 0; i < Shared; i++)
        {
            Assert.True(registry.TryAdd(Address(i)));
        }

        var wins = new int[Shared];
        int failures = 0;
        Workers.Run(threads, thread =>
        {
            if (thread % 2 == 0)
            {
                for (int i = 0; i < Shared; i++)
                {
                    int key = (i + (thread * Shared / threads)) % Shared;
                    if (registry.TryRemove(Address(key)))
                    {
                        Interlocked.Increment(ref wins[key]);
                    }
                }
            }
            else
            {
                long first = 1_000_000L + ((long)thread * 50_000);
                for (long i = first; i < first + 50_000; i++)
                {
                    if (!registry.TryAdd(Address(i)))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }

                for (long i = first; i < first + 50_000; i++)
                {
                    if (!registry.TryRemove(Address(i)))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        });

        Assert.Equal(0, failures);
        Assert.All(wins, count => Assert.Equal(1, count));
        Assert.Equal(0, registry.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void RemoveAll_racing_removes_and_resizes_gives_each_address_to_exactly_one_side(int threads)
    {
        // Thread 0 empties the set while the others remove the same addresses and add and remove keys of their own
        // (which resizes the table underneath): every shared address is taken exactly once, by one side or the other.
        const int Shared = 20_000;
        var registry = new LivePointerRegistry(initialCapacity: 16);
        for (int i = 0; i < Shared; i++)
        {
            Assert.True(registry.TryAdd(Address(i)));
        }

        var wins = new int[Shared];
        Workers.Run(threads, thread =>
        {
            if (thread == 0)
            {
                foreach (nint address in registry.RemoveAll())
                {
                    long key = ((long)address - (long)Address(0)) / 16;
                    if (key < Shared)
                    {
                        Interlocked.Increment(ref wins[key]);
                    }
                }

                return;
            }

            long first = 1_000_000L + ((long)thread * 20_000);
            for (int i = 0; i < Shared; i++)
            {
                registry.TryAdd(Address(first + i));
                int key = (i + (thread * Shared / threads)) % Shared;
                if (registry.TryRemove(Address(key)))
                {
                    Interlocked.Increment(ref wins[key]);
                }

                registry.TryRemove(Address(first + i));
            }
        });

        Assert.All(wins, count => Assert.Equal(1, count));
    }
}
