using System.Reflection;

namespace MemoryStrategy.Samples.Tests;

/// <summary>The README's first command: the C interface's two examples on the generated sample strategies.</summary>
public sealed class QuickstartTests
{
    private static readonly string Configuration = typeof(QuickstartTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;

    private static readonly string Quickstart =
        Path.Combine(RepositoryRoot.Path, "samples", "Quickstart", "bin", Configuration, "net10.0", "Quickstart.dll");

    [Fact]
    public void It_runs_both_usage_examples_on_every_sample_strategy_and_prints_their_statistics()
    {
        (int exitCode, string output) = ProcessRunner.Run("dotnet", $"\"{Quickstart}\" --threads 3 --operations 2000", RepositoryRoot.Path, TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, output);
        Assert.Equal(4, CountLines(output, "single-threaded example: allocated, used and freed 1024 bytes (Ready)"));
        Assert.Equal(4, CountLines(output, "thread-safe example: 3 threads x 2000 operations, 0 failures (Ready)"));
        foreach (string strategy in new[] { "MemoryPool", "BumpArena", "NativePassThrough", "SizeClassPool" })
        {
            // One row per example run: 1 allocation for the single-threaded one, threads x operations for the other.
            Assert.Matches($@"(?m)^{strategy}\s+Ready\s+1\s+1\s+0\s+0\s+0\s+0\s", output);
            Assert.Matches($@"(?m)^{strategy}\s+Ready\s+6000\s+6000\s+0\s+0\s+0\s+0\s", output);
        }

        Assert.Contains("all examples passed", output);
    }

    [Theory]
    [InlineData("--threads 0")]
    [InlineData("--operations -5")]
    [InlineData("--threads")]
    [InlineData("--colour blue")]
    public void Bad_arguments_are_refused_with_usage_and_exit_code_2(string arguments)
    {
        (int exitCode, string output) = ProcessRunner.Run("dotnet", $"\"{Quickstart}\" {arguments}", RepositoryRoot.Path, TimeSpan.FromMinutes(1));

        Assert.Equal(2, exitCode);
        Assert.Contains("usage: Quickstart", output);
    }

    private static int CountLines(string output, string line) =>
        output.Split('\n').Count(l => l.TrimEnd() == line);
}
