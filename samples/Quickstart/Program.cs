using MemoryStrategy;
using MemoryStrategy.Samples.Quickstart;

// Runs the seed's two usage examples against each strategy, then prints their statistics.
// Usage: dotnet run --project samples/Quickstart -- [--threads N] [--operations N]
int threads = 2;
int operations = 10_000;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int t) && t > 0:
            threads = t;
            i++;
            break;
        case "--operations" when i + 1 < args.Length && int.TryParse(args[i + 1], out int o) && o > 0:
            operations = o;
            i++;
            break;
        default:
            Console.Error.WriteLine($"unknown or invalid argument '{args[i]}'");
            Console.Error.WriteLine("usage: Quickstart [--threads N>0] [--operations N>0]");
            return 2;
    }
}

var strategies = new List<IMemoryStrategy>();
int failures = 0;

Console.WriteLine("== HandWrittenStrategy ==");
failures += SeedExamples.SingleThreaded(() => Keep(new HandWrittenStrategy()), Console.Out);
var shared = Keep(new HandWrittenStrategy());
failures += SeedExamples.MultiThreaded(shared, threads, operations, Console.Out);

Console.WriteLine();
StatisticsTable.Write(Console.Out, strategies);

// Clean up (the seed's cleanup_your_strategy) after reading the statistics.
foreach (IMemoryStrategy strategy in strategies)
{
    strategy.Dispose();
}

Console.WriteLine();
Console.WriteLine(failures == 0 ? "all examples passed" : $"{failures} example(s) failed");
return failures == 0 ? 0 : 1;

IMemoryStrategy Keep(IMemoryStrategy strategy)
{
    strategies.Add(strategy);
    return strategy;
}
