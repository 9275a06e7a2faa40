using System.Globalization;
using System.Runtime.CompilerServices;
using MemoryStrategy.Benchmarks.Previous;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// <c>--before-after</c>: the fast-path cost of the reliability guarantees, in one process. The reference pool as it is
/// (thread caches other threads may take blocks from, calls guarded against a racing <c>Dispose</c>) against a frozen
/// copy of it from before (<c>Previous/</c>: the engine and its generated wrapper), one allocate+free pair of 64 bytes
/// on one thread, and <c>Owns</c> of a live block. The rows take turns round after round in the thread's CPU time
/// (see <see cref="RoundRobin"/>); each ratio is taken within a round and reported as the median with its range.
/// </summary>
internal static unsafe class BeforeAfter
{
    private const int Rounds = 31;
    private const int Operations = 100_000;
    private const int BlockCount = 1 << 16;

    private sealed record Row(string Name, Action Run, string? Baseline = null);

    public static void Run(TextWriter output)
    {
        var strategy = new MemoryPoolStrategy(Workloads.BlockSize, BlockCount);
        var previousStrategy = new PreviousPoolStrategy(Workloads.BlockSize, BlockCount);
        var core = new FixedBlockPool(Workloads.BlockSize, BlockCount);
        var previousCore = new PreviousFixedBlockPool(Workloads.BlockSize, BlockCount);
        if (!strategy.Validate() || !previousStrategy.Validate())
        {
            throw new InvalidOperationException("a pool failed its first validation");
        }

        void* held = strategy.Allocate(Workloads.BlockSize);
        void* previousHeld = previousStrategy.Allocate(Workloads.BlockSize);
        Row[] rows =
        [
            new("previous pool, concrete type", () => Workloads.Pairs(new PreviousStrategyAllocator(previousStrategy), Operations)),
            new("pool, concrete type", () => Workloads.Pairs(new PoolStrategyAllocator(strategy), Operations), "previous pool, concrete type"),
            new("previous pool via ForCurrentThread()", () => PreviousScopePairs(previousStrategy)),
            new("pool via ForCurrentThread()", () => Workloads.Pairs(new PoolScopeAllocator(strategy.ForCurrentThread()), Operations), "previous pool via ForCurrentThread()"),
            new("previous engine (FixedBlockPool)", () => Workloads.Pairs(new PreviousCoreAllocator(previousCore), Operations)),
            new("engine (FixedBlockPool)", () => Workloads.Pairs(new PoolCoreAllocator(core), Operations), "previous engine (FixedBlockPool)"),
            new("previous Owns", () => OwnsLoop(previousStrategy, previousHeld)),
            new("Owns", () => OwnsLoop(strategy, held), "previous Owns"),
        ];

        var times = new double[rows.Length, Rounds];
        foreach (Row row in rows)
        {
            row.Run(); // warm-up: tier-1 code, caches filled
            row.Run();
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int r = 0; r < rows.Length; r++)
            {
                double start = RoundRobin.ThreadCpuNanoseconds();
                rows[r].Run();
                times[r, round] = (RoundRobin.ThreadCpuNanoseconds() - start) / Operations;
            }
        }

        output.WriteLine($"{Rounds} rounds, round-robin in one process; ns per allocate+free pair (per Owns call), thread CPU time");
        output.WriteLine();
        output.WriteLine("| row | ns, median (range) | ratio to | ratio, median (range) |");
        output.WriteLine("| --- | ---: | --- | ---: |");
        for (int r = 0; r < rows.Length; r++)
        {
            double[] ns = Enumerable.Range(0, Rounds).Select(round => times[r, round]).ToArray();
            string ratio = "";
            if (rows[r].Baseline is string baseline)
            {
                int b = Array.FindIndex(rows, candidate => candidate.Name == baseline);
                ratio = Summary(Enumerable.Range(0, Rounds).Select(round => times[r, round] / times[b, round]).ToArray(), "x");
            }

            output.WriteLine($"| {rows[r].Name} | {Summary(ns, "")} | {rows[r].Baseline} | {ratio} |");
        }

        strategy.Deallocate(held);
        previousStrategy.Deallocate(previousHeld);
        strategy.Dispose();
        previousStrategy.Dispose();
        core.Dispose();
        previousCore.Dispose();
    }

    /// <summary>A scope is a <c>ref struct</c>: it cannot be captured by the row's lambda, so it is taken here.</summary>
    private static void PreviousScopePairs(PreviousPoolStrategy strategy) =>
        Workloads.Pairs(new PreviousScopeAllocator(strategy.ForCurrentThread()), Operations);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OwnsLoop<TStrategy>(TStrategy strategy, void* block)
        where TStrategy : IMemoryStrategy
    {
        int owned = 0;
        for (int i = 0; i < Operations; i++)
        {
            owned += strategy.Owns(block) ? 1 : 0;
        }

        if (owned != Operations)
        {
            throw new InvalidOperationException("the held block is not owned");
        }
    }

    private static string Summary(double[] values, string unit)
    {
        double[] sorted = values.Order().ToArray();
        return $"{Format(sorted[sorted.Length / 2])}{unit} ({Format(sorted[0])}-{Format(sorted[^1])})";
    }

    private static string Format(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>The previous pool through its generated wrappers, on the concrete type.</summary>
internal readonly unsafe struct PreviousStrategyAllocator(PreviousPoolStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}

/// <summary>The previous pool's engine called directly.</summary>
internal readonly unsafe struct PreviousCoreAllocator(PreviousFixedBlockPool pool) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => pool.Allocate();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => pool.Free(ptr);
}

/// <summary>The previous pool through its generated <c>ForCurrentThread()</c> scope.</summary>
internal readonly unsafe ref struct PreviousScopeAllocator : INativeAllocator
{
    private readonly PreviousPoolStrategy.ThreadScope _scope;

    public PreviousScopeAllocator(PreviousPoolStrategy.ThreadScope scope) => _scope = scope;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => _scope.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => _scope.Deallocate(ptr);
}
