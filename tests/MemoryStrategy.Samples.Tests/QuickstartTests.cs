using System.Reflection;

namespace MemoryStrategy.Samples.Tests;

/// <summary>The README's first command: the C interface's two usage examples on the generated sample strategies.</summary>
public sealed class QuickstartTests
{
    private static readonly string Configuration = typeof(QuickstartTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;

    private static readonly string Quickstart =
        Path.Combine(RepositoryRoot.Path, "samples", "Quickstart", "bin", Configuration, "net10.0", "Quickstart.dll");

    [Theory]
    [InlineData("--threads 3 --operations 2000")]
    [InlineData("--threads=3 --operations=2000")]
    public void It_runs_both_usage_examples_on_every_sample_strategy_and_prints_labelled_statistics(string arguments)
    {
        (int exitCode, string output) = RunQuickstart(arguments);

        Assert.True(exitCode == 0, output);
        Assert.Equal(4, CountLines(output, "single-threaded example: allocated, used and freed 1024 bytes (Ready)"));
        Assert.Equal(4, CountLines(output, "thread-safe example: 3 threads x 2000 operations, 0 failures (Ready)"));
        foreach (string strategy in new[] { "MemoryPool", "BumpArena", "NativePassThrough", "SizeClassPool" })
        {
            // One row per example run, labelled: 1 allocation for the single-threaded one, threads x operations for the other.
            Assert.Matches($@"(?m)^{strategy}\s+single-threaded\s+Ready\s+1\s+1\s+0\s+0\s+0\s+0\s", output);
            Assert.Matches($@"(?m)^{strategy}\s+multi-threaded \(3\)\s+Ready\s+6000\s+6000\s+0\s+0\s+0\s+0\s", output);
        }

        Assert.DoesNotContain("note: the bump arena", output);
        Assert.Contains("all examples passed", output);
    }

    [Fact]
    public void The_statistics_columns_have_a_legend()
    {
        (int exitCode, string output) = RunQuickstart("--threads 1 --operations 10");

        Assert.True(exitCode == 0, output);
        foreach (string column in new[] { "example", "allocs", "frees", "failed", "refused", "refused frees", "live", "peak", "bytes" })
        {
            Assert.Matches($@"(?m)^{column}\s{{2,}}\S", output);
        }
    }

    [Fact]
    public void The_arenas_cap_on_operations_is_said_out_loud()
    {
        // 256 MiB / (4 threads x 1 KiB) = 65536 operations per thread for the arena.
        (int exitCode, string output) = RunQuickstart("--threads 4 --operations 70000");

        Assert.True(exitCode == 0, output);
        Assert.Contains("note: the bump arena runs 65536 operations per thread, not 70000", output);
        Assert.Equal(1, CountLines(output, "thread-safe example: 4 threads x 65536 operations, 0 failures (Ready)"));
        Assert.Equal(3, CountLines(output, "thread-safe example: 4 threads x 70000 operations, 0 failures (Ready)"));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_prints_the_usage_and_the_options_and_exits_0(string arguments)
    {
        (int exitCode, string output) = RunQuickstart(arguments);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("usage: dotnet run --project samples/Quickstart", output);
        Assert.Contains("--threads N", output);
        Assert.Contains("--operations N", output);
        Assert.DoesNotContain("== MemoryPool", output);
    }

    [Theory]
    [InlineData("--threads abc", "--threads: 'abc' is not a positive integer")]
    [InlineData("--threads=abc", "--threads: 'abc' is not a positive integer")]
    [InlineData("--threads 0", "--threads: '0' is not a positive integer")]
    [InlineData("--threads 2000", "--threads: 2000 is above the limit of 1024")]
    [InlineData("--operations -5", "--operations: '-5' is not a positive integer")]
    [InlineData("--operations=", "--operations: '' is not a positive integer")]
    [InlineData("--threads", "--threads: a value is missing")]
    [InlineData("--colour blue", "unknown option '--colour'")]
    public void A_bad_argument_is_named_with_its_value_and_exits_2(string arguments, string error)
    {
        (int exitCode, string output) = RunQuickstart(arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains("error: " + error, output);
        Assert.Contains("--help", output);
        Assert.DoesNotContain("== MemoryPool", output);
    }

    private static (int ExitCode, string Output) RunQuickstart(string arguments) =>
        ProcessRunner.Run("dotnet", $"\"{Quickstart}\" {arguments}", RepositoryRoot.Path, TimeSpan.FromMinutes(2));

    private static int CountLines(string output, string line) =>
        output.Split('\n').Count(l => l.TrimEnd() == line);
}
