using MemoryStrategy;
using MemoryStrategy.Samples;
using MemoryStrategy.Samples.Quickstart;

// Runs the C interface's two usage examples on each sample strategy (all generated from [MemoryStrategy] classes), then
// prints their status and statistics. Exits non-zero if any example fails.
// Usage: dotnet run --project samples/Quickstart -c Release -- [--threads N] [--operations N]
int threads = 2;
int operations = 10_000;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int t) && t is > 0 and <= 1024:
            threads = t;
            i++;
            break;
        case "--operations" when i + 1 < args.Length && int.TryParse(args[i + 1], out int o) && o > 0:
            operations = o;
            i++;
            break;
        default:
            Console.Error.WriteLine($"unknown or invalid argument '{args[i]}'");
            Console.Error.WriteLine("usage: Quickstart [--threads 1..1024] [--operations N>0]");
            return 2;
    }
}

// The arena never reuses memory (it frees everything at once on Dispose), so its threaded run is capped to fit 256 MiB.
const long ArenaBudget = 256L << 20;
int arenaOperations = (int)Math.Min(operations, ArenaBudget / (threads * 1024L));

var strategies = new List<IMemoryStrategy>();
int failures = 0;
Run("MemoryPool (lock-free fixed blocks)", () => new MemoryPoolStrategy(blockSize: 1024, blockCount: 64 * threads + 64), operations);
Run("BumpArena (frees all at once)", () => new BumpArenaStrategy(capacity: (nuint)(arenaOperations * threads * 1024L + 4096)), arenaOperations);
Run("NativePassThrough (TrackAllocations)", () => new NativePassThroughStrategy(), operations);
Run("SizeClassPool (size classes over pools, NativeMemory above 32 KiB)", () => new SizeClassPoolStrategy(), operations);

Console.WriteLine();
StatisticsTable.Write(Console.Out, strategies);

// Clean up (the C interface's cleanup_your_strategy), after the statistics were read.
foreach (IMemoryStrategy strategy in strategies)
{
    strategy.Dispose();
}

Console.WriteLine();
Console.WriteLine(failures == 0 ? "all examples passed" : $"{failures} example(s) failed");
return failures == 0 ? 0 : 1;

void Run(string title, Func<IMemoryStrategy> initializeYourStrategy, int rounds)
{
    Console.WriteLine($"== {title}");
    failures += UsageExamples.SingleThreaded(() => Keep(initializeYourStrategy()), Console.Out);
    failures += UsageExamples.MultiThreaded(Keep(initializeYourStrategy()), threads, rounds, Console.Out);
}

IMemoryStrategy Keep(IMemoryStrategy strategy)
{
    strategies.Add(strategy);
    return strategy;
}
