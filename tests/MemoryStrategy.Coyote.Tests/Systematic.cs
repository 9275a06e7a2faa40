using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;

namespace MemoryStrategy.Coyote.Tests;

/// <summary>
/// Runs a concurrency test under Coyote's scheduler: each iteration replays the test with a different interleaving of
/// its tasks, switching threads at every field load and store and every branch of the rewritten code (the test
/// assembly, MemoryStrategy.Abstractions and MemoryStrategy.Runtime are rewritten after the build). A schedule that
/// breaks an assertion is a bug, and the random seed printed here replays it exactly.
/// </summary>
internal static class Systematic
{
    /// <summary>Explores <paramref name="iterations"/> schedules of <paramref name="test"/> and fails on the first bug.</summary>
    public static void Explore(ITestOutputHelper output, uint iterations, Func<Task> test) =>
        Run(output, Configuration.Create().WithTestingIterations(Iterations(iterations)), test);

    /// <summary>
    /// <see cref="Explore"/>, switching also at every <c>Volatile</c> and <c>Interlocked</c> call: for lock-free code
    /// whose races sit between such calls on array slots (which are not fields, so not switch points otherwise).
    /// </summary>
    public static void ExploreAtomics(ITestOutputHelper output, uint iterations, Func<Task> test) =>
        Run(
            output,
            Configuration.Create()
                .WithTestingIterations(Iterations(iterations))
                .WithVolatileOperationRaceCheckingEnabled(true)
                .WithAtomicOperationRaceCheckingEnabled(true),
            test);

    /// <summary>The iterations asked for, or COYOTE_ITERATIONS when set (to search harder for a bug locally).</summary>
    private static uint Iterations(uint iterations) =>
        uint.TryParse(Environment.GetEnvironmentVariable("COYOTE_ITERATIONS"), out uint asked) ? asked : iterations;

    private static void Run(ITestOutputHelper output, Configuration configuration, Func<Task> test)
    {
        uint seed = uint.TryParse(Environment.GetEnvironmentVariable("COYOTE_SEED"), out uint fixedSeed) ? fixedSeed : (uint)Random.Shared.Next();
        configuration = configuration
            .WithMemoryAccessRaceCheckingEnabled(true)
            .WithRandomGeneratorSeed(seed);
        using TestingEngine engine = TestingEngine.Create(configuration, test);
        engine.Run();

        TestReport report = engine.TestReport;
        output.WriteLine($"seed {seed} (replay: COYOTE_SEED={seed}): {report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths} schedules, " +
            $"{report.NumOfFoundBugs} bug(s), up to {Math.Max(report.MaxExploredFairSteps, report.MaxExploredUnfairSteps)} steps per schedule");
        Assert.True(report.NumOfFoundBugs == 0, $"seed {seed}: " + string.Join("\n", report.BugReports));
        Assert.True(report.MaxExploredFairSteps > 0 || report.MaxExploredUnfairSteps > 0, "Coyote controlled no step: is the assembly rewritten?");
    }
}
