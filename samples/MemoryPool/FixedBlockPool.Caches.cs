namespace MemoryStrategy.Samples;

// Which cache a thread uses (its PoolThread, made by the tracker's factory and taken over with its blocks when its
// thread exits), and how a thread that finds the pool otherwise empty takes the blocks parked in another thread's cache.
internal sealed unsafe partial class FixedBlockPool
{
    /// <summary>
    /// The calling thread's cache for this pool: the object the generated wrapper found, whose type the tracker's
    /// factory fixed, checked (the fast paths take it unchecked: <see cref="PoolFastPath.CacheOf"/>). A
    /// <see cref="StrategyThread"/> of another type means the caller broke the contract of
    /// <see cref="Allocate(StrategyThread)"/>.
    /// </summary>
    private static PoolThread CacheOfCurrentThread(StrategyThread thread) =>
        thread as PoolThread ?? throw new ArgumentException("The StrategyThread is not one of this pool's tracker.", nameof(thread));

    /// <summary>The tracker's factory: a new thread's cache, registered where thieves look.</summary>
    private PoolThread CreateThreadCache() => RegisterCache(new PoolThread(2 * _batchSize));

    private PoolThread RegisterCache(PoolThread cache)
    {
        PoolThread[] caches = Volatile.Read(ref _caches);
        while (true)
        {
            PoolThread[] grown = new PoolThread[caches.Length + 1];
            Array.Copy(caches, grown, caches.Length);
            grown[^1] = cache;

            // The CAS (a full fence) publishes the array with the cache fully constructed; readers load the array
            // with Volatile.Read.
            PoolThread[] seen = Interlocked.CompareExchange(ref _caches, grown, caches);
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
    /// <param name="own">The caller's cache, empty, not held.</param>
    /// <param name="contended">Whether a cache with blocks was skipped because another thief held it (see <see cref="PoolThread.TryLockForSteal"/>).</param>
    private int StealFromOtherCaches(PoolThread own, out bool contended)
    {
        int* taken = stackalloc int[own.Capacity];
        int count = 0;
        contended = false;
        foreach (PoolThread victim in Volatile.Read(ref _caches))
        {
            if (ReferenceEquals(victim, own))
            {
                continue;
            }

            if (!victim.TryLockForSteal(out bool held))
            {
                contended |= held;
                continue;
            }

            // The victim is ours until UnlockAfterSteal: its owner is outside every access and waits for us. Its
            // blocks are out of every search's sight from the first pop until they are in our cache: a move, begun
            // before that pop (see BeginMove).
            BeginMove();
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

            EndMove();
        }

        if (count == 0)
        {
            return -1;
        }

        // Only this thread pushes into its own cache, and it was empty when we left it (thieves only take), so the
        // stolen blocks fit. The first one taken stays with the caller, out of any thief's reach.
        own.EnterParked();
        for (int i = count - 1; i >= 1; i--)
        {
            own.Push(taken[i]);
        }

        own.ExitParked();
        EndMove();
        return taken[0];
    }
}
