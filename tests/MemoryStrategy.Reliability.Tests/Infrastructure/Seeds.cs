namespace MemoryStrategy.Reliability.Tests.Infrastructure;

/// <summary>
/// Seeds and sizes of the randomised tests. Every run draws a fresh seed (so CI explores new schedules over time) and
/// prints it; <c>RELIABILITY_SEED=n</c> replays one. <c>RELIABILITY_OPERATIONS=n</c> changes the per-thread operation
/// count of the load tests (default 10^6, the figure the reliability goals name).
/// </summary>
internal static class Seeds
{
    public const int DefaultOperations = 1_000_000;

    public static int Operations { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("RELIABILITY_OPERATIONS"), out int operations) && operations > 0 ? operations : DefaultOperations;

    /// <summary>The random seed to use, written to the test's output with the command that replays it.</summary>
    public static int Next(ITestOutputHelper output)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("RELIABILITY_SEED"), out int fixedSeed) ? fixedSeed : Random.Shared.Next();
        output.WriteLine($"seed {seed} (replay: RELIABILITY_SEED={seed} dotnet test ...)");
        return seed;
    }
}
