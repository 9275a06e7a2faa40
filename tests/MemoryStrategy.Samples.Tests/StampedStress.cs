using System.Collections.Concurrent;

namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// The stress workload every allocator here is put through: threads allocate blocks of random sizes, stamp each
/// over its whole length with (thread, sequence), free some themselves and hand others to whichever thread picks
/// them up; every block's stamp is checked before it is freed. A block handed out twice, or two overlapping
/// blocks, fail the stamp check or the live-set check.
/// </summary>
internal sealed unsafe class StampedStress
{
    private const int MaxHeldPerThread = 32;
    private const int MaxInFlight = 256;

    /// <summary>Allocates <c>size</c> bytes; 0 when the allocator refuses (legal: exhaustion).</summary>
    public required Func<nuint, nint> Allocate { get; init; }

    /// <summary>Frees a block this workload allocated; it must accept it (assert inside when it can tell).</summary>
    public required Action<nint> Free { get; init; }

    /// <summary>The size of the next request.</summary>
    public required Func<Random, nuint> NextSize { get; init; }

    /// <summary>Runs <paramref name="operations"/> steps on each of <paramref name="threads"/> threads.</summary>
    /// <returns>How many allocations were served (each has been freed when this returns).</returns>
    public long Run(int threads, int operations, int seed)
    {
        var handOff = new ConcurrentQueue<Held>();
        var live = new ConcurrentDictionary<nint, bool>();
        long served = 0;

        void Release(Held block)
        {
            Stamp.Check((void*)block.Address, block.Size, block.Stamp);
            Assert.True(live.TryRemove(block.Address, out _), "freed a block that was not live");
            Free(block.Address);
        }

        Threads.Run(threads, id =>
        {
            var random = new Random(seed + id);
            var held = new List<Held>();
            for (long n = 0; n < operations; n++)
            {
                int roll = random.Next(8);
                if (roll < 3 && held.Count < MaxHeldPerThread)
                {
                    nuint size = NextSize(random);
                    nint block = Allocate(size);
                    if (block == 0)
                    {
                        continue;
                    }

                    Assert.True(live.TryAdd(block, true), "a live block was served twice");
                    var stamped = new Held(block, size, Stamp.Of(id, n));
                    Stamp.Write((void*)block, size, stamped.Stamp);
                    held.Add(stamped);
                    Interlocked.Increment(ref served);
                }
                else if (roll < 5 && held.Count > 0)
                {
                    int pick = random.Next(held.Count);
                    Release(held[pick]);
                    held[pick] = held[^1];
                    held.RemoveAt(held.Count - 1);
                }
                else if (roll < 6 && held.Count > 0 && handOff.Count < MaxInFlight)
                {
                    handOff.Enqueue(held[^1]);
                    held.RemoveAt(held.Count - 1);
                }
                else if (handOff.TryDequeue(out Held received))
                {
                    Release(received);
                }
            }

            foreach (Held block in held)
            {
                Release(block);
            }
        });

        while (handOff.TryDequeue(out Held left))
        {
            Release(left);
        }

        Assert.Empty(live);
        Assert.True(served > (long)threads * operations / 10, $"only {served} allocations succeeded: too few to prove anything");
        return served;
    }

    private readonly record struct Held(nint Address, nuint Size, long Stamp);
}
