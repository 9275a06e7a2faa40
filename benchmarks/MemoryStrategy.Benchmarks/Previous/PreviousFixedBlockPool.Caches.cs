
using MemoryStrategy.Samples;

// A frozen copy of the reference pool before blocks could be taken from other threads' caches and before the
// in-call guard: the point of comparison for the fast-path figures in docs/benchmarks.md (same process, same run).
namespace MemoryStrategy.Benchmarks.Previous;

// Which cache a thread uses, and what happens to a cache when its thread exits.
internal sealed unsafe partial class PreviousFixedBlockPool
{
    /// <summary>
    /// The calling thread's cache for this pool: found, adopted from an exited thread, or created, and remembered in
    /// <paramref name="thread"/>'s <see cref="StrategyThread.State"/>.
    /// </summary>
    private PreviousThreadCache CacheOfCurrentThread(StrategyThread thread)
    {
        if (thread.State is not PreviousThreadCache cache || !ReferenceEquals(cache.PoolKey, _cacheKey))
        {
            Thread current = Thread.CurrentThread;
            cache = FindOwnedCache(current) ?? AdoptCache(current) ?? RegisterCache(new PreviousThreadCache(_cacheKey, current, 2 * _batchSize));
            thread.State = cache;
        }

        return cache;
    }

    private PreviousThreadCache? FindOwnedCache(Thread thread)
    {
        foreach (PreviousThreadCache cache in Volatile.Read(ref _caches))
        {
            if (ReferenceEquals(Volatile.Read(ref cache.Owner), thread))
            {
                return cache;
            }
        }

        return null;
    }

    /// <summary>
    /// Takes over a vacant cache or one whose thread has exited, blocks included, so thread churn neither grows the
    /// cache list without bound nor strands the blocks an exited thread held.
    /// </summary>
    private PreviousThreadCache? AdoptCache(Thread thread)
    {
        foreach (PreviousThreadCache cache in Volatile.Read(ref _caches))
        {
            Thread? owner = Volatile.Read(ref cache.Owner);
            if ((owner is null || !owner.IsAlive) && Interlocked.CompareExchange(ref cache.Owner, thread, owner) == owner)
            {
                // The CAS (a full fence) makes this thread the cache's only user. An exited thread writes nothing
                // more, and the runtime publishes its exit (under its thread-store lock) before IsAlive reads
                // false, so its last Count and Items writes are visible here; a vacant cache was released with a
                // volatile write that this CAS reads.
                return cache;
            }
        }

        return null;
    }

    private PreviousThreadCache RegisterCache(PreviousThreadCache cache)
    {
        PreviousThreadCache[] caches = Volatile.Read(ref _caches);
        while (true)
        {
            PreviousThreadCache[] grown = new PreviousThreadCache[caches.Length + 1];
            Array.Copy(caches, grown, caches.Length);
            grown[^1] = cache;

            // The CAS (a full fence) publishes the array with the cache fully constructed; readers load the array
            // with Volatile.Read.
            PreviousThreadCache[] seen = Interlocked.CompareExchange(ref _caches, grown, caches);
            if (ReferenceEquals(seen, caches))
            {
                return cache;
            }

            caches = seen;
        }
    }

    /// <summary>
    /// The last resort before reporting exhaustion: empties the caches of exited threads into <paramref name="own"/>
    /// (overflow goes to the shared stack) and leaves them vacant for adoption.
    /// </summary>
    private bool ReclaimOrphanedCaches(PreviousThreadCache own)
    {
        Thread current = Thread.CurrentThread;
        foreach (PreviousThreadCache orphan in Volatile.Read(ref _caches))
        {
            Thread? owner = Volatile.Read(ref orphan.Owner);
            if (ReferenceEquals(orphan, own) || owner is null || owner.IsAlive
                || Interlocked.CompareExchange(ref orphan.Owner, current, owner) != owner)
            {
                continue;
            }

            // As in AdoptCache, the CAS makes this thread the orphan's only user and its contents visible.
            while (orphan.Count != 0)
            {
                if (own.Count == own.Capacity)
                {
                    FlushBatch(own);
                }

                own.Push(orphan.Pop());
            }

            // Release: a thread that adopts the vacant cache (by CAS on Owner) sees it empty.
            Volatile.Write(ref orphan.Owner, null);
        }

        return own.Count != 0;
    }
}
