namespace MemoryStrategy.Samples;

// Which cache a thread uses, what happens to a cache when its thread exits, and how a thread that finds the pool
// otherwise empty takes the blocks parked in another thread's cache.
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
    /// Takes over a cache whose thread has exited, blocks included, so thread churn does not grow the cache list
    /// without bound. A thief may be inside it at that moment; the adopter enters it like any owner.
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
                // false, so its last Count and Items writes are visible here.
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
    /// The last resort before reporting exhaustion: takes the blocks parked in another cache (a live idle thread's or
    /// an exited thread's), keeps one for the caller and puts the rest in <paramref name="own"/>. The caller holds no
    /// cache while it looks, and holds each victim only while it copies at most its own capacity out of it. Returns
    /// the block kept, or -1 when every other cache was empty.
    /// </summary>
    private int StealFromOtherCaches(ThreadCache own)
    {
        int* taken = stackalloc int[own.Capacity];
        int count = 0;
        foreach (ThreadCache victim in Volatile.Read(ref _caches))
        {
            if (ReferenceEquals(victim, own) || !victim.TryLockForSteal())
            {
                continue;
            }

            // The victim is ours until UnlockAfterSteal: its owner is outside every access and waits for us.
            while (victim.Count != 0 && count < own.Capacity)
            {
                taken[count++] = victim.Pop();
            }

            victim.UnlockAfterSteal();
            if (count != 0)
            {
                // One victim's blocks are enough to go on with; the next shortage steals again.
                break;
            }
        }

        if (count == 0)
        {
            return -1;
        }

        // Only this thread pushes into its own cache, and it was empty when we left it (thieves only take), so the
        // stolen blocks fit. The first one taken stays with the caller, out of any thief's reach.
        own.Enter();
        for (int i = count - 1; i >= 1; i--)
        {
            own.Push(taken[i]);
        }

        own.Exit();
        return taken[0];
    }
}
