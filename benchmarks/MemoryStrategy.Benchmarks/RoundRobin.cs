using System.Diagnostics;
using System.Globalization;
using MemoryStrategy.Benchmarks.Experiments;

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

    /// <summary>The calling thread's CPU time, in nanoseconds (also used by <see cref="BeforeAfter"/>).</summary>
    internal static double ThreadCpuNanoseconds()
    {
        Timespec time;
        ClockGetTime(ThreadCpuClock, &time);
        return time.Seconds * 1e9 + time.Nanoseconds;
    }

    /// <summary>
    /// One timed loop: its name, the work of one round, the pairs it runs, and the row it is compared with and the
    /// goal for that ratio (0: none).
    /// </summary>
    internal sealed record Row(string Name, Action Run, int Operations, string? Baseline = null, double Limit = 0)
    {
        /// <summary>
        /// The thread rows ("…, 1 thread", "…, 2 threads"), timed in wall time over all threads' pairs; every other row
        /// in the calling thread's CPU time. By the name's end: rows about a thread-static or thread-local read (until
        /// 2026-12-07 they matched "thread" anywhere) are single-threaded.
        /// </summary>
        public bool WallTime => Name.EndsWith(" thread", StringComparison.Ordinal) || Name.EndsWith(" threads", StringComparison.Ordinal);

        /// <summary>More rows it is compared with, each with its goal (0: none): one report line each.</summary>
        public (string Baseline, double Limit)[] Also { get; init; } = [];

        /// <summary>A short run of the loop, called in the warm-up so the loop is tier-1 code before it is timed.</summary>
        public Action? Warm { get; init; }

        public IEnumerable<(string Baseline, double Limit)> Comparisons =>
            Baseline is null ? Also : Also.Prepend((Baseline, Limit));
    }

    /// <summary>
    /// Runs <paramref name="pass"/> (each loop called a few dozen times), then waits half a second, until a pass and its
    /// wait compile nothing (at most 12 passes). With dynamic PGO a loop goes through tier 0, an instrumented tier and
    /// tier 1, each step after 30 calls and a compile in the background; two fixed passes were not enough (the JIT's
    /// summary showed the measured loops' tier-1 code, compiled from a synthesized profile, arriving during the timed
    /// rounds, the first rounds on on-stack-replacement code).
    /// </summary>
    private static void WarmUntilSettled(Action pass)
    {
        for (int i = 0; i < 12; i++)
        {
            long before = System.Runtime.JitInfo.GetCompiledMethodCount();
            pass();
            Thread.Sleep(500);
            if (i > 0 && System.Runtime.JitInfo.GetCompiledMethodCount() == before)
            {
                return;
            }
        }
    }

    private const string HeldFewRow = "(experiment) a loop with few live values, the thread object held (no lookup)";

    private const string HeldManyRow = "(experiment) a loop with more live values, the thread object held (no lookup)";

    /// <summary>Where the lookup experiments leave their sums, so the JIT cannot drop their loops.</summary>
    private static long s_sink;

    private const string MimallocResidentRow = "(control) mimalloc pair, its page kept in use (one resident block)";

    /// <summary>mimalloc pairs with one more block of the size live across them, so its page never empties.</summary>
    private static void MimallocPairsWithResidentBlock(int pairs)
    {
        void* resident = Mimalloc.Malloc(Workloads.BlockSize);
        Workloads.Pairs(new MimallocAllocator(), pairs);
        Mimalloc.Free(resident);
    }

    /// <summary>
    /// Runs every row whose name contains <paramref name="only"/> (all rows when null; several alternatives separated
    /// by <c>|</c>), with their baselines.
    /// </summary>
    public static void Run(TextWriter output, string? only = null)
    {
        // One row runs 20 times longer, so a profiler attached to the process sees mostly the measured loops.
        int pairsPerRow = only is null ? 100_000 : 2_000_000;
        using var pools = new PoolFixtures();
        pools.Create();
        using var one = new DedicatedWorkers(1);
        using var two = new DedicatedWorkers(2);
        using var mixed = new MixedSizeRows();

        // Last: the trackers made after it would have large indices too (see BeyondSlotsPool).
        using var beyond = new BeyondSlotsPool();
        int rounds16 = pairsPerRow / Workloads.Outstanding;
        const int ThreadRounds16 = ThreadPairs / Workloads.Outstanding;
        Action poolOutstanding = () => Workloads.Outstanding16(new PoolStrategyAllocator(pools.Strategy), ThreadRounds16);
        Action twoPools = () => Workloads.Outstanding16InTurn(
            new PoolStrategyAllocator(pools.Strategy), new PoolStrategyAllocator(pools.SecondStrategy), ThreadRounds16);
        // The minimal experiments of docs/benchmarks.md (the interface, worker and 16-outstanding ones find their object
        // as the tracker does): what the checks cost written by hand, and what the runtime's
        // thread-local read costs an allocator that does nothing else.
        StrategyThread heldThread = pools.Strategy.StatusTracker.CurrentThread;
        var lean = new LeanPool<LastThreadLookup, Blocks64>(default, 4096);
        var leanSlots = new LeanPool<SlotLookup, Blocks64>(default, 4096);
        var leanStack = new LeanPool<StackRangeLookup, Blocks64>(default, 4096);
        // The same checks with the block size and strict mode chosen when the pool is made, as the reference pool's are.
        var leanAny = new LeanPool<NextSlotLookup, AnyBlocks>(new AnyBlocks(64, strict: false), 4096);
        Action mimallocThreads = () => Workloads.Pairs(new MimallocAllocator(), ThreadPairs);
        Row[] rows =
        [
            new("mimalloc pair", () => Workloads.Pairs(new MimallocAllocator(), pairsPerRow), pairsPerRow),
            new("glibc pair", () => Workloads.Pairs(new GlibcAllocator(), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("ArrayPool.Shared pair", () => Workloads.ArrayPoolPairs(pairsPerRow), pairsPerRow, "mimalloc pair"),
            // mimalloc retires a page on the free that empties it, so the lone pair above takes that path on every free;
            // where other blocks of the size stay live (a program whose malloc is mimalloc), the page never empties.
            new(MimallocResidentRow, () => MimallocPairsWithResidentBlock(pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("pool, concrete type", () => Workloads.Pairs(new PoolStrategyAllocator(pools.Strategy), pairsPerRow), pairsPerRow, "mimalloc pair", 1.0)
            {
                Also = [("glibc pair", 0), ("ArrayPool.Shared pair", 0), (MimallocResidentRow, 0)],
            },
            new("pool through IMemoryStrategy", () => Workloads.Pairs(new InterfaceAllocator(pools.Strategy), pairsPerRow), pairsPerRow, "mimalloc pair", 1.3),
            new("validated worker through IMemoryStrategy", () => Workloads.Pairs(new ValidatedWorkerAllocator(pools.Strategy), pairsPerRow), pairsPerRow, "mimalloc pair", 1.6),
            new("pool via ForCurrentThread()", () => Workloads.Pairs(new PoolScopeAllocator(pools.Strategy.ForCurrentThread()), pairsPerRow), pairsPerRow, "mimalloc pair")
            {
                Also = [("glibc pair", 0), ("ArrayPool.Shared pair", 0)],
            },
            // What the per-call lookup's own instructions cost (a thread-static read, then the whole generated lookup,
            // each beside a scope whose work does not use its result), to set against what the generated pair pays.
            new("(experiment) pool via ForCurrentThread(), plus a thread-static read per call", () => Workloads.Pairs(new ScopeWithThreadStaticRead(pools.Strategy), pairsPerRow), pairsPerRow, "pool via ForCurrentThread()"),
            new("(experiment) pool via ForCurrentThread(), plus the generated lookup per call, its result only compared", () => Workloads.Pairs(new ScopeWithLookupBeside(pools.Strategy), pairsPerRow), pairsPerRow, "pool via ForCurrentThread()")
            {
                Also = [("pool, concrete type", 0)],
            },
            // Whether the JIT hoists the thread-local access out of a loop (Experiments/LookupHoisting.cs): the lookup's
            // cost per call beside the same loop with the thread object held, in a loop with few live values and in one with more.
            new(HeldFewRow, () => s_sink += LookupHoisting.HeldWithFewValues(heldThread, pairsPerRow), pairsPerRow),
            new("(experiment) the tracker's lookup in a loop with few live values (the JIT hoists the thread-local access)", () => s_sink += LookupHoisting.LookupWithFewValues(pools.Strategy.StatusTracker, pairsPerRow), pairsPerRow, HeldFewRow),
            new(HeldManyRow, () => s_sink += LookupHoisting.HeldWithManyValues(heldThread, pairsPerRow), pairsPerRow),
            new("(experiment) the tracker's lookup in a loop with more live values (the JIT keeps the thread-local access in it)", () => s_sink += LookupHoisting.LookupWithManyValues(pools.Strategy.StatusTracker, pairsPerRow), pairsPerRow, HeldManyRow),
            new("(experiment) leanest pool with the same checks", () => Workloads.Pairs(new LeanPoolAllocator<LastThreadLookup, Blocks64>(lean), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) leanest pool, the tracker's slot lookup", () => Workloads.Pairs(new LeanPoolAllocator<SlotLookup, Blocks64>(leanSlots), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) leanest pool, the same slots found by the stack pointer (no thread-local read)", () => Workloads.Pairs(new LeanPoolAllocator<StackRangeLookup, Blocks64>(leanStack), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) leanest pool through an interface", () => Workloads.Pairs(new LeanPoolInterfaceAllocator<Blocks64>(leanSlots), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) leanest pool, validated worker through an interface", () => Workloads.Pairs(new LeanPoolValidatedWorkerAllocator<Blocks64>(leanSlots), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) leanest pool, any block size and strict mode", () => Workloads.Pairs(new LeanPoolAllocator<NextSlotLookup, AnyBlocks>(leanAny), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) leanest pool, any block size and strict mode, through an interface", () => Workloads.Pairs(new LeanPoolInterfaceAllocator<AnyBlocks>(leanAny), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) leanest pool, any block size and strict mode, validated worker through an interface", () => Workloads.Pairs(new LeanPoolValidatedWorkerAllocator<AnyBlocks>(leanAny), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) pool, concrete type, pairs in runs of 16 (a nested loop)", () => Workloads.PairsInRunsOf16(new PoolStrategyAllocator(pools.Strategy), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) leanest pool, the tracker's slot lookup, pairs in runs of 16 (a nested loop)", () => Workloads.PairsInRunsOf16(new LeanPoolAllocator<SlotLookup, Blocks64>(leanSlots), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("(experiment) thread-local free list, no checks", () => Workloads.Pairs(new ThreadLocalFreeListAllocator(), pairsPerRow), pairsPerRow, "mimalloc pair"),
            new("mimalloc, 16 outstanding", () => Workloads.Outstanding16(new MimallocAllocator(), rounds16), pairsPerRow),
            new("glibc, 16 outstanding", () => Workloads.Outstanding16(new GlibcAllocator(), rounds16), pairsPerRow),
            new("ArrayPool.Shared, 16 outstanding", () => Workloads.ArrayPoolOutstanding16(rounds16), pairsPerRow),
            new("pool, 16 outstanding", () => Workloads.Outstanding16(new PoolStrategyAllocator(pools.Strategy), rounds16), pairsPerRow, "mimalloc, 16 outstanding", 1.5)
            {
                Also = [("glibc, 16 outstanding", 0), ("ArrayPool.Shared, 16 outstanding", 0)],
            },
            new("(experiment) leanest pool, 16 outstanding", () => Workloads.Outstanding16(new LeanPoolAllocator<SlotLookup, Blocks64>(leanSlots), rounds16), pairsPerRow, "mimalloc, 16 outstanding"),
            new("(experiment) leanest pool, any block size and strict mode, 16 outstanding", () => Workloads.Outstanding16(new LeanPoolAllocator<NextSlotLookup, AnyBlocks>(leanAny), rounds16), pairsPerRow, "mimalloc, 16 outstanding"),
            new("two pools in turn, 16 outstanding", () => Workloads.Outstanding16InTurn(
                new PoolStrategyAllocator(pools.Strategy), new PoolStrategyAllocator(pools.SecondStrategy), rounds16), pairsPerRow, "pool, 16 outstanding", 1.1),
            new("two pools in turn, one beyond the first slots (over 255 trackers alive), 16 outstanding", () => Workloads.Outstanding16InTurn(
                new PoolStrategyAllocator(pools.Strategy), new PoolStrategyAllocator(beyond.Strategy), rounds16), pairsPerRow, "pool, 16 outstanding", 1.1),
            new("one pool, 16 outstanding, 1 thread", () => one.RunOnAll(poolOutstanding), ThreadPairs),
            new("one pool, 16 outstanding, 2 threads", () => two.RunOnAll(poolOutstanding), 2 * ThreadPairs, "one pool, 16 outstanding, 1 thread", 1 / 1.8),
            new("two pools in turn, 1 thread", () => one.RunOnAll(twoPools), ThreadPairs),
            new("two pools in turn, 2 threads", () => two.RunOnAll(twoPools), 2 * ThreadPairs, "two pools in turn, 1 thread", 1 / 1.8),
            new("(control) mimalloc pairs, 1 thread", () => one.RunOnAll(mimallocThreads), ThreadPairs),
            new("(control) mimalloc pairs, 2 threads", () => two.RunOnAll(mimallocThreads), 2 * ThreadPairs, "(control) mimalloc pairs, 1 thread", 1 / 1.8),
            .. mixed.Create(pairsPerRow),
            .. mixed.CreateThreadRows(one, two),
        ];

        // Warm-up: every loop called often enough, in short runs, for tiered compilation to replace it with tier-1
        // code, so no round measures tier-0 or on-stack-replacement code (see WarmUntilSettled).
        WarmUntilSettled(() =>
        {
            for (int call = 0; call < 40; call++)
            {
                Workloads.Pairs(new MimallocAllocator(), 1_000);
                Workloads.Pairs(new GlibcAllocator(), 1_000);
                Workloads.ArrayPoolPairs(1_000);
                Workloads.Pairs(new PoolStrategyAllocator(pools.Strategy), 1_000);
                Workloads.Pairs(new InterfaceAllocator(pools.Strategy), 1_000);
                Workloads.Pairs(new ValidatedWorkerAllocator(pools.Strategy), 1_000);
                Workloads.Pairs(new PoolScopeAllocator(pools.Strategy.ForCurrentThread()), 1_000);
                Workloads.Pairs(new LeanPoolAllocator<LastThreadLookup, Blocks64>(lean), 1_000);
                Workloads.Pairs(new LeanPoolAllocator<SlotLookup, Blocks64>(leanSlots), 1_000);
                Workloads.Pairs(new LeanPoolAllocator<StackRangeLookup, Blocks64>(leanStack), 1_000);
                Workloads.Pairs(new LeanPoolInterfaceAllocator<Blocks64>(leanSlots), 1_000);
                Workloads.Pairs(new LeanPoolValidatedWorkerAllocator<Blocks64>(leanSlots), 1_000);
                Workloads.Outstanding16(new LeanPoolAllocator<SlotLookup, Blocks64>(leanSlots), 64);
                Workloads.Pairs(new LeanPoolAllocator<NextSlotLookup, AnyBlocks>(leanAny), 1_000);
                Workloads.Pairs(new LeanPoolInterfaceAllocator<AnyBlocks>(leanAny), 1_000);
                Workloads.Pairs(new LeanPoolValidatedWorkerAllocator<AnyBlocks>(leanAny), 1_000);
                Workloads.Outstanding16(new LeanPoolAllocator<NextSlotLookup, AnyBlocks>(leanAny), 64);
                Workloads.Pairs(new ThreadLocalFreeListAllocator(), 1_000);
                Workloads.PairsInRunsOf16(new PoolStrategyAllocator(pools.Strategy), 1_024);
                Workloads.PairsInRunsOf16(new LeanPoolAllocator<SlotLookup, Blocks64>(leanSlots), 1_024);
                Workloads.Outstanding16(new MimallocAllocator(), 64);
                Workloads.Outstanding16(new GlibcAllocator(), 64);
                Workloads.ArrayPoolOutstanding16(64);
                Workloads.Outstanding16(new PoolStrategyAllocator(pools.Strategy), 64);
                Workloads.Outstanding16InTurn(new PoolStrategyAllocator(pools.Strategy), new PoolStrategyAllocator(pools.SecondStrategy), 64);
                Workloads.Outstanding16InTurn(new PoolStrategyAllocator(pools.Strategy), new PoolStrategyAllocator(beyond.Strategy), 64);
                s_sink += LookupHoisting.HeldWithFewValues(heldThread, 1_000) + LookupHoisting.HeldWithManyValues(heldThread, 1_000);
                s_sink += LookupHoisting.LookupWithFewValues(pools.Strategy.StatusTracker, 1_000);
                s_sink += LookupHoisting.LookupWithManyValues(pools.Strategy.StatusTracker, 1_000);
            }
        });

        // The rows with a warm-up of their own (the mixed sizes) only now, once the loops above run tier-1 code: the
        // validators' interface calls are devirtualised from the types their profile saw, and the mixed rows validate
        // other strategy types through the same methods. Warmed together, the reference pool's validated worker
        // measured 3.7x mimalloc instead of 2.8x (a process that validates several strategy types through
        // IMemoryStrategy pays that; the generic overloads with the concrete type do not).
        WarmUntilSettled(() =>
        {
            for (int call = 0; call < 40; call++)
            {
                foreach (Row row in rows)
                {
                    row.Warm?.Invoke();
                }
            }
        });

        if (only is not null)
        {
            // One row and what it is compared with: for a profiler attached to this process.
            string[] wanted = only.Split('|');
            var kept = rows.Where(row => wanted.Any(w => row.Name.Contains(w, StringComparison.Ordinal))).ToList();

            // The baselines' own baselines too, until none is missing: a row compared with a row that is itself
            // compared with a third needs all three.
            List<Row> added;
            do
            {
                added = [.. rows.Where(row => !kept.Contains(row) && kept.Any(k => k.Comparisons.Any(c => c.Baseline == row.Name)))];
                kept.AddRange(added);
            }
            while (added.Count > 0);

            rows = [.. rows.Where(kept.Contains)];
        }

        var times = new double[rows.Length, Rounds];
        foreach (Row row in rows)
        {
            row.Run(); // caches filled, the worker threads' loops compiled
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

        // A scaling verdict means something only when an allocator that scales did so in the same run: on a shared VM
        // the second vCPU is often busy, and then every two-thread row "misses" whatever the strategy does.
        bool? controlScaled = ControlScaled(rows, times);
        for (int r = 0; r < rows.Length; r++)
        {
            Row row = rows[r];
            double[] ns = Enumerable.Range(0, Rounds).Select(round => times[r, round]).ToArray();
            if (row.Baseline is null && row.Also.Length == 0)
            {
                output.WriteLine($"| {row.Name} | {Summary(ns, "")} |  |  |  |");
            }

            foreach ((string baseline, double limit) in row.Comparisons)
            {
                double[] ratios = RatiosTo(rows, times, r, baseline);
                string goal = limit == 0 ? "" : $"<= {Format(limit)}x: " + (Median(ratios) <= limit ? "met" : "missed");
                if (limit != 0 && row.WallTime && !row.Name.StartsWith(ControlPrefix, StringComparison.Ordinal) && controlScaled == false)
                {
                    goal += " (control did not scale: not judged)";
                }

                output.WriteLine($"| {row.Name} | {Summary(ns, "")} | {baseline} | {Summary(ratios, "x")} | {goal} |");
            }
        }
    }

    /// <summary>The name the two-thread control rows start with.</summary>
    private const string ControlPrefix = "(control)";

    /// <summary>
    /// Whether the two-thread control (mimalloc pairs) met its own scaling goal in this run; null when the run did not
    /// include it.
    /// </summary>
    private static bool? ControlScaled(Row[] rows, double[,] times)
    {
        int control = Array.FindIndex(rows, row => row.Name.StartsWith(ControlPrefix, StringComparison.Ordinal) && row.Limit != 0);
        if (control < 0)
        {
            return null;
        }

        return Median(RatiosTo(rows, times, control, rows[control].Baseline!)) <= rows[control].Limit;
    }

    /// <summary>Row <paramref name="r"/>'s time over <paramref name="baseline"/>'s, round by round.</summary>
    private static double[] RatiosTo(Row[] rows, double[,] times, int r, string baseline)
    {
        int b = Array.FindIndex(rows, candidate => candidate.Name == baseline);
        return Enumerable.Range(0, Rounds).Select(round => times[r, round] / times[b, round]).ToArray();
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
