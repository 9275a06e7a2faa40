using MemoryStrategy.Benchmarks.Previous;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The mixed-size rows of <c>--round-robin</c> (<see cref="MixedSizes"/>, single thread, 1 and 16 outstanding): the
/// size-class pool against glibc, mimalloc and <c>ArrayPool&lt;byte&gt;.Shared</c>, and the experiments that split
/// its time: a toy pool per class behind the same routing (the floor of the design: routing and memory), the class
/// pools called directly through their nested entry points (the inner pools' own cost), the pool's routing core
/// alone and with the generated wrapper's pieces rebuilt around it, the pool through <c>ForCurrentThread()</c>
/// (no lookup), some of them on the same draw without the tail above 4 KiB; and the pool as first landed
/// (<see cref="PreviousSizeClassPool"/>), for before/after figures from one process.
/// </summary>
internal sealed class MixedSizeRows : IDisposable
{
    private readonly SizeClassPoolStrategy _pool = new();
    private readonly SizeClassPoolStrategy _poolWithInnerStatistics = new(new SizeClassPoolOptions { InnerStatistics = true });
    private readonly PreviousSizeClassPool _previous = new(new SizeClassPoolOptions { InnerStatistics = true }); // as first landed: inner statistics on
    private readonly ToyClassLists _toy = new(new SizeClassPoolOptions());
    private readonly object _stackLookupKey = new();

    /// <summary>A key no thread's slot ever holds (see <see cref="ToyClassListsWithLeanLookupAllocator"/>).</summary>
    private readonly object _leanLookupKey = new();
    private readonly StatusTrackerHandle _toyTracker = new(new StatusTracker("toy lookup"));
    private readonly byte[][] _heldArrays = new byte[16][];

    /// <summary>The rows, each running whole passes of <see cref="MixedSizes.Pairs"/> pairs, about <paramref name="pairs"/> in all.</summary>
    public IEnumerable<RoundRobin.Row> Create(int pairs)
    {
        int passes = Math.Max(1, pairs / MixedSizes.Pairs);
        int operations = passes * MixedSizes.Pairs;
        foreach (int outstanding in (int[])[1, 16])
        {
            string of = $", {outstanding} outstanding";
            string glibc = "mixed: glibc" + of, mimalloc = "mixed: mimalloc" + of, arrayPool = "mixed: ArrayPool.Shared" + of;
            string glibcNoTail = "mixed, no tail: glibc" + of, previous = "mixed: SizeClassPool as first landed" + of;
            RoundRobin.Row Row(string name, Action<nuint[]> pass, nuint[] sizes, string? baseline = null, double limit = 0) =>
                new(name, () => Repeat(pass, sizes, passes), operations, baseline, limit) { Warm = () => pass(sizes) };

            yield return Row(glibc, sizes => MixedSizes.Run(new GlibcAllocator(), sizes, outstanding), MixedSizes.WithTail);
            yield return Row(mimalloc, sizes => MixedSizes.Run(new MimallocAllocator(), sizes, outstanding), MixedSizes.WithTail);
            yield return Row(arrayPool, sizes => MixedSizes.RunArrayPool(sizes, outstanding, _heldArrays), MixedSizes.WithTail);
            yield return Row("mixed: SizeClassPool" + of, sizes => MixedSizes.Run(new SizeClassPoolAllocator(_pool), sizes, outstanding), MixedSizes.WithTail, glibc, 0.8) with
            {
                Also = [(mimalloc, 1.0), (arrayPool, outstanding == 16 ? 0.5 : 0), (previous, 0)],
            };
            yield return Row(previous, sizes => MixedSizes.Run(new PreviousSizeClassPoolAllocator(_previous), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: SizeClassPool, InnerStatistics = true" + of, sizes => MixedSizes.Run(new SizeClassPoolAllocator(_poolWithInnerStatistics), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: SizeClassPool, validated worker" + of, sizes => MixedSizes.Run(new ValidatedWorkerAllocator(_pool), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: SizeClassPool as first landed, validated worker" + of, sizes => MixedSizes.Run(new ValidatedWorkerAllocator(_previous), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: SizeClassPool, each call out of line" + of, sizes => MixedSizes.Run(new SizeClassPoolCallAllocator(_pool), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: SizeClassPool via ForCurrentThread()" + of, sizes => RunScoped(sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: routing core + in-call mark and status read" + of, sizes => RunPieces<With, Without>(sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: routing core + outer statistics" + of, sizes => RunPieces<Without, With>(sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: routing core + in-call mark, status read, outer statistics" + of, sizes => RunPieces<With, With>(sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: SizeClassPool's routing core alone" + of, sizes => MixedSizes.Run(new SizeClassPoolCoreAllocator(_pool, _pool.StatusTracker.CurrentThread), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: class pools nested, called directly, inner statistics" + of, sizes => MixedSizes.Run(new ClassPoolsNestedAllocator(_pool, statistics: true), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: class pools nested, called directly" + of, sizes => MixedSizes.Run(new ClassPoolsNestedAllocator(_pool), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: toy pool per class + the generated per-call lookup" + of, sizes => MixedSizes.Run(new ToyClassListsWithLookupAllocator(_toy, _toyTracker), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: toy pool per class + the leanest lookup (one thread-static slot at a constant index)" + of, sizes => MixedSizes.Run(new ToyClassListsWithLeanLookupAllocator(_toy, _leanLookupKey), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: toy pool per class + a lookup by the stack pointer (no thread-local read)" + of, sizes => MixedSizes.Run(new ToyClassListsWithStackLookupAllocator(_toy, _stackLookupKey), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row("mixed: toy pool per class (floor)" + of, sizes => MixedSizes.Run(new ToyClassListsAllocator(_toy), sizes, outstanding), MixedSizes.WithTail, glibc);
            yield return Row(glibcNoTail, sizes => MixedSizes.Run(new GlibcAllocator(), sizes, outstanding), MixedSizes.WithoutTail);
            yield return Row("mixed, no tail: SizeClassPool" + of, sizes => MixedSizes.Run(new SizeClassPoolAllocator(_pool), sizes, outstanding), MixedSizes.WithoutTail, glibcNoTail);
            yield return Row("mixed, no tail: class pools nested, called directly" + of, sizes => MixedSizes.Run(new ClassPoolsNestedAllocator(_pool), sizes, outstanding), MixedSizes.WithoutTail, glibcNoTail);
            yield return Row("mixed, no tail: toy pool per class (floor)" + of, sizes => MixedSizes.Run(new ToyClassListsAllocator(_toy), sizes, outstanding), MixedSizes.WithoutTail, glibcNoTail);
        }
    }

    /// <summary>
    /// The same workload on 1 and on 2 dedicated threads at once (wall time over all threads' pairs, so 0.5x the
    /// one-thread time is perfect scaling): the size-class pool, one pool shared by both threads, against glibc,
    /// mimalloc and <c>ArrayPool&lt;byte&gt;.Shared</c> run the same way.
    /// </summary>
    public IEnumerable<RoundRobin.Row> CreateThreadRows(DedicatedWorkers one, DedicatedWorkers two)
    {
        const int PassesPerThread = 61; // about 250,000 pairs a thread
        const int Operations = PassesPerThread * MixedSizes.Pairs;
        foreach (int outstanding in (int[])[1, 16])
        {
            string of = $", {outstanding} outstanding";
            (string Name, Action Pass)[] allocators =
            [
                ("mixed: glibc" + of, () => Repeat(sizes => MixedSizes.Run(new GlibcAllocator(), sizes, outstanding), MixedSizes.WithTail, PassesPerThread)),
                ("mixed: mimalloc" + of, () => Repeat(sizes => MixedSizes.Run(new MimallocAllocator(), sizes, outstanding), MixedSizes.WithTail, PassesPerThread)),
                ("mixed: ArrayPool.Shared" + of, () =>
                {
                    // Each thread holds its own arrays.
                    var held = new byte[16][];
                    Repeat(sizes => MixedSizes.RunArrayPool(sizes, outstanding, held), MixedSizes.WithTail, PassesPerThread);
                }),
                ("mixed: SizeClassPool" + of, () => Repeat(sizes => MixedSizes.Run(new SizeClassPoolAllocator(_pool), sizes, outstanding), MixedSizes.WithTail, PassesPerThread)),
            ];

            foreach ((string name, Action pass) in allocators)
            {
                yield return new RoundRobin.Row(name + ", 1 thread", () => one.RunOnAll(pass), Operations);
            }

            foreach ((string name, Action pass) in allocators)
            {
                bool pool = name.StartsWith("mixed: SizeClassPool", StringComparison.Ordinal);
                yield return new RoundRobin.Row(name + ", 2 threads", () => two.RunOnAll(pass), 2 * Operations, name + ", 1 thread")
                {
                    Also = pool
                        ? [("mixed: glibc" + of + ", 2 threads", 0), ("mixed: mimalloc" + of + ", 2 threads", 0), ("mixed: ArrayPool.Shared" + of + ", 2 threads", 0)]
                        : [],
                };
            }
        }
    }

    public void Dispose()
    {
        _pool.Dispose();
        _poolWithInnerStatistics.Dispose();
        _previous.Dispose();
        _toy.Dispose();
    }

    private void RunScoped(nuint[] sizes, int outstanding) =>
        MixedSizes.Run(new SizeClassPoolScopeAllocator(_pool.ForCurrentThread()), sizes, outstanding);

    private void RunPieces<TGuard, TStatistics>(nuint[] sizes, int outstanding)
        where TGuard : struct, IPiece
        where TStatistics : struct, IPiece =>
        MixedSizes.Run(new WrapperPiecesAllocator<TGuard, TStatistics>(_pool, _pool.StatusTracker.CurrentThread), sizes, outstanding);

    private static void Repeat(Action<nuint[]> pass, nuint[] sizes, int passes)
    {
        for (int i = 0; i < passes; i++)
        {
            pass(sizes);
        }
    }
}
