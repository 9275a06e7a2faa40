namespace MemoryStrategy.Samples;

/// <summary>
/// One thread's <see cref="StrategyThread"/> of each class pool, kept in the <see cref="StrategyThread.State"/> of
/// that thread's <see cref="StrategyThread"/> of the size-class pool: the one thread-local lookup the outer strategy
/// makes per call finds them, so the class pools are called through their nested entry points with no lookup of
/// their own.
/// </summary>
/// <remarks>
/// Only the owning thread reads or writes it (as every <see cref="StrategyThread.State"/>). It holds the inner
/// threads' objects, which hold their trackers' keys, not the trackers, so it keeps no strategy alive.
/// </remarks>
internal sealed class InnerThreads
{
    private readonly StrategyThread?[] _classes = new StrategyThread?[SizeClasses.Count];

    /// <summary>The calling thread's <see cref="StrategyThread"/> of <paramref name="pool"/>, class <paramref name="index"/>.</summary>
    public StrategyThread Of(int index, MemoryPoolStrategy pool) =>
        _classes[index] ?? Fill(index, pool);

    private StrategyThread Fill(int index, MemoryPoolStrategy pool) => _classes[index] = pool.StatusTracker.CurrentThread;
}
