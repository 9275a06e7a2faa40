
namespace MemoryStrategy.Samples;

// Which cache a thread uses, and what happens to a cache when its thread exits.
internal sealed unsafe partial class FixedBlockPool
{
    /// <summary>
    /// The calling thread's cache for this pool: found, adopted from an exited thread, or created, and remembered in
    /// <paramref name="thread"/>'s <see cref="StrategyThread.State"/>.
    /// </summary>
    private ThreadCache CacheOfCurrentThread(StrategyThread thread)
    {
        if (thread.State is not ThreadCache cache || !ReferenceEquals(cache.PoolKey, _cacheKey))
        {
            Thread current = Thread.CurrentThread;
            cache = FindOwnedCache(current) ?? AdoptCache(current) ?? RegisterCache(new ThreadCache(_cacheKey, current, 2 * _batchSize));
            thread.State = cache;
        }

        return cache;
    }

    private ThreadCache? FindOwnedCache(Thread thread)
    {
        foreach (ThreadCache cache in Volatile.Read(ref _caches))
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
    private ThreadCache? AdoptCache(Thread thread)
    {
        foreach (ThreadCache cache in Volatile.Read(ref _caches))
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

    private ThreadCache RegisterCache(ThreadCache cache)
    {
        ThreadCache[] caches = Volatile.Read(ref _caches);
        while (true)
        {
            ThreadCache[] grown = new ThreadCache[caches.Length + 1];
            Array.Copy(caches, grown, caches.Length);
            grown[^1] = cache;

            // The CAS (a full fence) publishes the array with the cache fully constructed; readers load the array
            // with Volatile.Read.
            ThreadCache[] seen = Interlocked.CompareExchange(ref _caches, grown, caches);
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
    private bool ReclaimOrphanedCaches(ThreadCache own)
    {
        Thread current = Thread.CurrentThread;
        foreach (ThreadCache orphan in Volatile.Read(ref _caches))
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
