using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MemoryStrategy.Benchmarks;

// Every group: dotnet run -c Release --project benchmarks/MemoryStrategy.Benchmarks -- --filter '*'
// One group:   ... -- --filter '*Throughput*'
// After the run, the project's goals are checked against the measured ratios and written to
// BenchmarkDotNet.Artifacts/results/targets.md.
// Every goal's loop round-robin, ratios within each round: ... -- --round-robin
// One row and its baseline (to profile it): ... -- --round-robin "pool, concrete type"
// The mixed-size rows and their experiments: ... -- --round-robin mixed ("a|b": the rows matching either)
if (args is ["--round-robin", ..])
{
    // Every goal is a ratio to a baseline measured in the same rounds, mimalloc among them: without it the run would
    // call through a null function pointer, so it stops here instead.
    if (!Mimalloc.IsAvailable)
    {
        Console.Error.WriteLine(Mimalloc.RoundRobinHint);
        return 2;
    }

    RoundRobin.Run(Console.Out, args.Length > 1 ? args[1] : null);
    return 0;
}

// The reference pool before and after the reliability guarantees (Previous/), round-robin: ... -- --before-after
if (args is ["--before-after"])
{
    BeforeAfter.Run(Console.Out);
    return 0;
}

IConfig config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddFilter(new SimpleFilter(benchmark =>
        benchmark.Descriptor.Type != typeof(ThroughputBenchmarks)
        || ThroughputBenchmarks.ThreadsOf(benchmark.Descriptor.WorkloadMethod.Name) <= Math.Max(2, Environment.ProcessorCount)));

if (!Mimalloc.IsAvailable)
{
    Console.WriteLine(Mimalloc.InstallHint);
    config = config.AddFilter(new SimpleFilter(benchmark =>
        !benchmark.Descriptor.WorkloadMethod.Name.Contains(nameof(Mimalloc), StringComparison.Ordinal)
        && !benchmark.Parameters.DisplayInfo.Contains(nameof(Mimalloc), StringComparison.Ordinal)));
}

Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();
TargetReport.Write(summaries, Console.Out);
return 0;
