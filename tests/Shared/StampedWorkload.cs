using System.Collections.Concurrent;

namespace MemoryStrategy.Testing;

/// <summary>
/// The load every strategy is put through: each thread allocates blocks of random sizes, stamps each over its whole
/// length, frees some itself and hands others to another thread's inbox, which checks the stamp and frees it. A block
/// handed out while it is still live fails the live-set check at once; two overlapping blocks fail a stamp check.
/// </summary>
/// <remarks>
/// One operation is one step of a thread: an allocation, a free, a hand-off or a receive. The mix keeps each thread
/// holding a few dozen blocks, so the strategy sees allocations and frees interleaved, and about one block in eight
/// crosses threads before it is freed. The allocator is two delegates, so the same load runs on a strategy, on an
/// engine without its generated wrappers, or with the C interface's validators in front of every call.
/// </remarks>
/// <param name="allocate">Allocates <c>size</c> bytes; 0 when refused or exhausted (legal).</param>
/// <param name="free">Frees a block this workload allocated (assert inside that it was accepted, where it can tell).</param>
/// <param name="nextSize">The size of the next request.</param>
internal sealed class StampedWorkload(Func<nuint, nint> allocate, Action<nint> free, Func<Random, nuint> nextSize)
{
    /// <summary>The workload on a strategy's own <c>Allocate</c> and <c>Deallocate</c>.</summary>
    public unsafe StampedWorkload(IMemoryStrategy strategy, Func<Random, nuint> nextSize)
        : this(size => (nint)strategy.Allocate(size), block => strategy.Deallocate((void*)block), nextSize)
    {
    }

    /// <summary>
    /// The workload with the C interface's validators in front of every call, as its thread-safe usage example
    /// writes them: no allocation from a strategy that fails validation, and every block this workload frees must
    /// pass <c>ValidateDeallocation</c> (it was handed out here and not freed yet).
    /// </summary>
    public static unsafe StampedWorkload Validated(IMemoryStrategy strategy, Func<Random, nuint> nextSize) => new(
        size => StrategyValidator.ValidateStrategy(strategy) ? (nint)strategy.Allocate(size) : 0,
        block =>
        {
            if (!StrategyValidator.ValidateDeallocation(strategy, (void*)block))
            {
                throw new InvalidOperationException($"ValidateDeallocation refused live block 0x{block:x}");
            }

            strategy.Deallocate((void*)block);
        },
        nextSize);

    private const int HeldPerThread = 32;
    private const int InboxLimit = 256;

    /// <summary>Runs <paramref name="operations"/> steps on each of <paramref name="threads"/> dedicated threads.</summary>
    /// <returns>What the threads did, summed after they joined; every block they got has been freed.</returns>
    public WorkloadTotals Run(int threads, int operations, int seed)
    {
        var inboxes = Enumerable.Range(0, threads).Select(_ => new ConcurrentQueue<Held>()).ToArray();
        var live = new ConcurrentDictionary<nint, long>();
        var perThread = new WorkloadTotals[threads];

        Workers.Run(threads, id =>
        {
            var random = new Random(seed + id);
            var held = new List<Held>(HeldPerThread);
            var totals = default(WorkloadTotals);
            for (long step = 0; step < operations; step++)
            {
                int roll = random.Next(16);
                if (roll < 6 && held.Count < HeldPerThread)
                {
                    nuint size = nextSize(random);
                    nint block = allocate(size);
                    if (block == 0)
                    {
                        totals = totals with { Failed = totals.Failed + 1 };
                        continue;
                    }

                    long stamp = Stamp.Of(id, step);
                    if (!live.TryAdd(block, stamp))
                    {
                        throw new InvalidOperationException($"seed {seed}: block 0x{block:x} handed out while still live (stamp 0x{live[block]:x})");
                    }

                    Stamp.Write(block, size, stamp);
                    held.Add(new Held(block, size, stamp));
                    totals = totals with { Served = totals.Served + 1, Bytes = totals.Bytes + (long)size };
                }
                else if (roll < 10 && held.Count > 0)
                {
                    int pick = random.Next(held.Count);
                    Free(held[pick], live, seed);
                    held[pick] = held[^1];
                    held.RemoveAt(held.Count - 1);
                    totals = totals with { Freed = totals.Freed + 1 };
                }
                else if (roll < 12 && held.Count > 0 && threads > 1)
                {
                    ConcurrentQueue<Held> inbox = inboxes[(id + 1 + random.Next(threads - 1)) % threads];
                    if (inbox.Count < InboxLimit)
                    {
                        inbox.Enqueue(held[^1]);
                        held.RemoveAt(held.Count - 1);
                        totals = totals with { HandedOff = totals.HandedOff + 1 };
                    }
                }
                else if (inboxes[id].TryDequeue(out Held received))
                {
                    Free(received, live, seed);
                    totals = totals with { Freed = totals.Freed + 1 };
                }
            }

            foreach (Held block in held)
            {
                Free(block, live, seed);
                totals = totals with { Freed = totals.Freed + 1 };
            }

            perThread[id] = totals;
        });

        // Blocks still in an inbox were handed to a thread that finished first.
        long drained = 0;
        foreach (ConcurrentQueue<Held> inbox in inboxes)
        {
            while (inbox.TryDequeue(out Held left))
            {
                Free(left, live, seed);
                drained++;
            }
        }

        Assert.True(live.IsEmpty, $"seed {seed}: {live.Count} blocks never freed by the workload itself");
        WorkloadTotals sum = perThread.Aggregate(default(WorkloadTotals), (a, b) => a + b);
        return sum with { Freed = sum.Freed + drained };
    }

    private void Free(Held block, ConcurrentDictionary<nint, long> live, int seed)
    {
        if (Stamp.Check(block.Address, block.Size, block.Stamp) is { } damage)
        {
            throw new InvalidOperationException($"seed {seed}: {damage}");
        }

        // Leave the live set first: once the strategy has the block back, another thread may be handed it at once.
        if (!live.TryRemove(block.Address, out _))
        {
            throw new InvalidOperationException($"seed {seed}: freeing 0x{block.Address:x}, which is not live");
        }

        free(block.Address);
    }

    private readonly record struct Held(nint Address, nuint Size, long Stamp);
}

/// <summary>What a <see cref="StampedWorkload"/> run did.</summary>
internal readonly record struct WorkloadTotals(long Served, long Failed, long Freed, long Bytes, long HandedOff)
{
    public static WorkloadTotals operator +(WorkloadTotals a, WorkloadTotals b) =>
        new(a.Served + b.Served, a.Failed + b.Failed, a.Freed + b.Freed, a.Bytes + b.Bytes, a.HandedOff + b.HandedOff);
}
