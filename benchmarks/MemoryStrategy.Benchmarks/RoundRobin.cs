using System.Diagnostics;
using System.Globalization;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// <c>--round-robin</c>: every goal's loop and its baseline, timed with a Stopwatch in one process, the rows taking
/// turns round after round so a neighbour's load on a shared machine hits them alike. Each ratio is computed within a
/// round and reported as the median of the rounds with its range. Complements BenchmarkDotNet, which runs one
/// benchmark after the other. Single-thread rows are timed in the thread's CPU time, so a round the scheduler
/// interrupts is not charged for another process's time; the thread rows are wall time (their point is scaling).
/// </summary>
internal static unsafe class RoundRobin
{
    private const int Rounds = 31;
    private const int PairsPerRow = 100_000;
    private const int ThreadPairs = 1_000_000;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    [System.Runtime.InteropServices.SuppressGCTransition]
    private static extern int ClockGetTime(int clock, Timespec* time);

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static double ThreadCpuNanoseconds()
    {
        Timespec time;
        ClockGetTime(ThreadCpuClock, &time);
        return time.Seconds * 1e9 + time.Nanoseconds;
    }

    private sealed record Row(string Name, Action Run, int Operations, string? Baseline = null, double Limit = 0)
    {
        public bool WallTime => Name.Contains("thread", StringComparison.Ordinal);
    }

    public static void Run(TextWriter output)
    {
        using var pools = new PoolFixtures();
        pools.Create();
        using var one = new DedicatedWorkers(1);
        using var two = new DedicatedWorkers(2);
        const int Rounds16 = PairsPerRow / Workloads.Outstanding;
        const int ThreadRounds16 = ThreadPairs / Workloads.Outstanding;
        Action poolOutstanding = () => Workloads.Outstanding16(new PoolStrategyAllocator(pools.Strategy), ThreadRounds16);
        Action twoPools = () => Workloads.Outstanding16InTurn(
            new PoolStrategyAllocator(pools.Strategy), new PoolStrategyAllocator(pools.SecondStrategy), ThreadRounds16);
        Action mimallocThreads = () => Workloads.Pairs(new MimallocAllocator(), ThreadPairs);
        Row[] rows =
        [
            new("mimalloc pair", () => Workloads.Pairs(new MimallocAllocator(), PairsPerRow), PairsPerRow),
            new("glibc pair", () => Workloads.Pairs(new GlibcAllocator(), PairsPerRow), PairsPerRow, "mimalloc pair"),
            new("ArrayPool.Shared pair", () => Workloads.ArrayPoolPairs(PairsPerRow), PairsPerRow, "mimalloc pair"),
            new("pool, concrete type", () => Workloads.Pairs(new PoolStrategyAllocator(pools.Strategy), PairsPerRow), PairsPerRow, "mimalloc pair", 1.0),
            new("pool through IMemoryStrategy", () => Workloads.Pairs(new InterfaceAllocator(pools.Strategy), PairsPerRow), PairsPerRow, "mimalloc pair", 1.3),
            new("validated worker through IMemoryStrategy", () => Workloads.Pairs(new ValidatedWorkerAllocator(pools.Strategy), PairsPerRow), PairsPerRow, "mimalloc pair", 1.6),
            new("pool via ForCurrentThread()", () => Workloads.Pairs(new PoolScopeAllocator(pools.Strategy.ForCurrentThread()), PairsPerRow), PairsPerRow, "mimalloc pair"),
            new("mimalloc, 16 outstanding", () => Workloads.Outstanding16(new MimallocAllocator(), Rounds16), PairsPerRow),
            new("pool, 16 outstanding", () => Workloads.Outstanding16(new PoolStrategyAllocator(pools.Strategy), Rounds16), PairsPerRow, "mimalloc, 16 outstanding", 1.5),
            new("two pools in turn, 16 outstanding", () => Workloads.Outstanding16InTurn(
                new PoolStrategyAllocator(pools.Strategy), new PoolStrategyAllocator(pools.SecondStrategy), Rounds16), PairsPerRow, "pool, 16 outstanding", 1.1),
            new("one pool, 16 outstanding, 1 thread", () => one.RunOnAll(poolOutstanding), ThreadPairs),
            new("one pool, 16 outstanding, 2 threads", () => two.RunOnAll(poolOutstanding), 2 * ThreadPairs, "one pool, 16 outstanding, 1 thread", 1 / 1.8),
            new("two pools in turn, 1 thread", () => one.RunOnAll(twoPools), ThreadPairs),
            new("two pools in turn, 2 threads", () => two.RunOnAll(twoPools), 2 * ThreadPairs, "two pools in turn, 1 thread", 1 / 1.8),
            new("(control) mimalloc pairs, 1 thread", () => one.RunOnAll(mimallocThreads), ThreadPairs),
            new("(control) mimalloc pairs, 2 threads", () => two.RunOnAll(mimallocThreads), 2 * ThreadPairs, "(control) mimalloc pairs, 1 thread", 1 / 1.8),
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
                if (rows[r].WallTime)
                {
                    long start = Stopwatch.GetTimestamp();
                    rows[r].Run();
                    times[r, round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / rows[r].Operations;
                }
                else
                {
                    double start = ThreadCpuNanoseconds();
                    rows[r].Run();
                    times[r, round] = (ThreadCpuNanoseconds() - start) / rows[r].Operations;
                }
            }
        }

        output.WriteLine($"{Rounds} rounds, round-robin in one process; ns per allocate+free pair: thread CPU time, wall time over all threads' pairs for the thread rows");
        output.WriteLine();
        output.WriteLine("| row | ns, median (range) | ratio to | ratio, median (range) | goal |");
        output.WriteLine("| --- | ---: | --- | ---: | ---: |");
        for (int r = 0; r < rows.Length; r++)
        {
            Row row = rows[r];
            double[] ns = Enumerable.Range(0, Rounds).Select(round => times[r, round]).ToArray();
            string ratio = "", goal = "";
            if (row.Baseline is not null)
            {
                int b = Array.FindIndex(rows, candidate => candidate.Name == row.Baseline);
                double[] ratios = Enumerable.Range(0, Rounds).Select(round => times[r, round] / times[b, round]).ToArray();
                ratio = Summary(ratios, "x");
                goal = row.Limit == 0 ? "" : $"<= {Format(row.Limit)}x: " + (Median(ratios) <= row.Limit ? "met" : "missed");
            }

            output.WriteLine($"| {row.Name} | {Summary(ns, "")} | {row.Baseline} | {ratio} | {goal} |");
        }
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Summary(double[] values, string unit) =>
        $"{Format(Median(values))}{unit} ({Format(values.Min())}-{Format(values.Max())})";

    private static string Format(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
