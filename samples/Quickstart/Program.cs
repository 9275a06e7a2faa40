using MemoryStrategy;
using MemoryStrategy.Samples;
using MemoryStrategy.Samples.Quickstart;

// Runs the C MemoryStrategy interface's two usage examples on each sample strategy (all generated from
// [MemoryStrategy] classes), then prints their status and statistics. Exits non-zero if any example fails.
QuickstartOptions? options = QuickstartOptions.Parse(args, out string? error);
if (options is null)
{
    Console.Error.WriteLine($"error: {error}");
    Console.Error.WriteLine("run with --help for the options");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(QuickstartOptions.Usage);
    return 0;
}

int threads = options.Threads;
int operations = options.Operations;

// The arena never reuses memory (it frees everything at once on Dispose), so its threaded run is capped to fit 256 MiB.
const long ArenaBudget = 256L << 20;
int arenaOperations = (int)Math.Min(operations, ArenaBudget / (threads * 1024L));

var rows = new List<StatisticsTable.Row>();
int failures = 0;
Run("MemoryPool (lock-free fixed blocks)", () => new MemoryPoolStrategy(blockSize: 1024, blockCount: 64 * threads + 64), operations);
if (arenaOperations < operations)
{
    Console.WriteLine(
        $"note: the bump arena runs {arenaOperations} operations per thread, not {operations}: it never reuses memory, " +
        $"and {threads} threads x {arenaOperations} x 1 KiB is what fits its 256 MiB");
}

Run("BumpArena (frees all at once)", () => new BumpArenaStrategy(capacity: (nuint)(arenaOperations * threads * 1024L + 4096)), arenaOperations);
Run("NativePassThrough (TrackAllocations)", () => new NativePassThroughStrategy(), operations);
Run("SizeClassPool (size classes over pools, NativeMemory above 32 KiB)", () => new SizeClassPoolStrategy(), operations);

Console.WriteLine();
StatisticsTable.Write(Console.Out, rows);

// Clean up (the interface's cleanup_your_strategy), after the statistics were read.
foreach (StatisticsTable.Row row in rows)
{
    row.Strategy.Dispose();
}

Console.WriteLine();
Console.WriteLine(failures == 0 ? "all examples passed" : $"{failures} example(s) failed");
return failures == 0 ? 0 : 1;

void Run(string title, Func<IMemoryStrategy> initializeYourStrategy, int rounds)
{
    Console.WriteLine($"== {title}");
    failures += UsageExamples.SingleThreaded(() => Keep(initializeYourStrategy(), "single-threaded"), Console.Out);
    failures += UsageExamples.MultiThreaded(Keep(initializeYourStrategy(), $"multi-threaded ({threads})"), threads, rounds, Console.Out);
}

IMemoryStrategy Keep(IMemoryStrategy strategy, string example)
{
    rows.Add(new StatisticsTable.Row(strategy, example));
    return strategy;
}
