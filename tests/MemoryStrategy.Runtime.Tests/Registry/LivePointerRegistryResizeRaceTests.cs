using static MemoryStrategy.Runtime.Tests.Registry.LivePointerRegistryTests;

namespace MemoryStrategy.Runtime.Tests.Registry;

/// <summary>
/// A resize (freeze, copy, move) landing in the middle of removals and re-adds, on two threads, in many short rounds:
/// a key must never come back after its removal, and a removal must never be lost. Counts are fixed; nothing is timed.
/// </summary>
public sealed class LivePointerRegistryResizeRaceTests
{
    [Fact]
    public void Removals_racing_a_resize_never_bring_a_key_back()
    {
        // Many short rounds: one thread removes the shared keys while the other churns fresh keys through the table,
        // so resizes (freeze, copy, move) keep landing in the middle of the removals. Two threads on two cores run at
        // the same time. A key copied into the new table after its removal would be found again when the round is
        // checked; a planted bug of that kind (copy without freezing) is caught here.
        int rounds = Environment.ProcessorCount > 1 ? 20_000 : 2_000;
        const int SharedKeys = 32, FreshKeys = 40;
        var round = new RemovalRound(SharedKeys);
        using var barrier = new Barrier(2, _ => round.CheckAndReset());

        Workers.Run(2, thread =>
        {
            for (int r = 0; r < rounds; r++)
            {
                barrier.SignalAndWait();
                if (thread == 0)
                {
                    round.RemoveShared(descending: r % 2 == 0);
                }
                else
                {
                    round.Churn(100_000_000L, FreshKeys);
                }
            }
        });
        round.CheckAndReset();

        Assert.Equal((0, 0, 0), (round.DoubleWins, round.Resurrected, round.Failures));
        Assert.Equal(rounds + 1, round.Checked);
    }

    /// <summary>One round's registry, shared keys and tallies; reset between rounds while every worker waits.</summary>
    private sealed class RemovalRound(int sharedKeys)
    {
        private LivePointerRegistry _registry = Prepare(sharedKeys);
        private int[] _wins = new int[sharedKeys];

        public int DoubleWins { get; private set; }

        public int Resurrected { get; private set; }

        public int Checked { get; private set; }

        public int Failures;

        public void RemoveShared(bool descending)
        {
            for (int i = 0; i < _wins.Length; i++)
            {
                int key = descending ? _wins.Length - 1 - i : i;
                if (_registry.TryRemove(Address(key)))
                {
                    Interlocked.Increment(ref _wins[key]);
                }
            }
        }

        public void Churn(long first, int count)
        {
            for (long key = first; key < first + count; key++)
            {
                if (!_registry.TryAdd(Address(key)) || !_registry.TryRemove(Address(key)))
                {
                    Interlocked.Increment(ref Failures);
                }
            }
        }

        public void CheckAndReset()
        {
            DoubleWins += Checked == 0 ? 0 : _wins.Count(count => count != 1);
            for (int key = 0; key < _wins.Length && Checked > 0; key++)
            {
                if (_registry.Contains(Address(key)) || _registry.TryRemove(Address(key)))
                {
                    Resurrected++;
                }
            }

            Checked++;
            _registry = Prepare(_wins.Length);
            _wins = new int[_wins.Length];
        }

        private static LivePointerRegistry Prepare(int sharedKeys)
        {
            var registry = new LivePointerRegistry(initialCapacity: 16);
            for (int key = 0; key < sharedKeys; key++)
            {
                registry.TryAdd(Address(key));
            }

            return registry;
        }
    }

    [Fact]
    public void A_key_cycled_through_add_and_remove_during_resizes_is_never_duplicated()
    {
        // One thread adds and removes the same few keys over and over (its own keys: within the contract), hammering
        // their slots, while another churns fresh keys so that the table is resized again and again underneath. A
        // removal lost to a resize shows as a failed re-add; a key brought back shows as a failed removal.
        const int Cycles = 2_000_000;
        var registry = new LivePointerRegistry(initialCapacity: 16);
        int failures = 0;
        int cyclerDone = 0;

        Workers.Run(2, thread =>
        {
            if (thread == 0)
            {
                for (int i = 0; i < Cycles; i++)
                {
                    nint key = Address(i % 4);
                    if (!registry.TryAdd(key) || !registry.TryRemove(key) || registry.Contains(key))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }

                Volatile.Write(ref cyclerDone, 1);
                return;
            }

            for (long key = 1_000_000; Volatile.Read(ref cyclerDone) == 0; key++)
            {
                if (!registry.TryAdd(Address(key)) || !registry.TryRemove(Address(key)))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        Assert.Equal(0, failures);
        Assert.Equal(0, registry.Count);
    }
}
