using System.Reflection;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Native.Tests;

/// <summary>
/// The C interface's C API for real: the reference pool, written in C#, published as a C shared library; the C interface's two
/// usage examples compiled from C against it; the exported validators checked on a pool written in plain C.
/// </summary>
public sealed class UsageExamplesInCTests : IClassFixture<NativeBuild>
{
    private readonly NativeBuild _build;

    public UsageExamplesInCTests(NativeBuild build) => _build = build;

    [Fact]
    public void The_library_exports_the_pool_and_the_validators()
    {
        Assert.True(_build.ExitCode == 0, _build.Log);
        (int exitCode, string symbols) = ProcessRunner.Run(
            "nm", $"-D --defined-only \"{Path.Combine(_build.Output, "libmemorypool.so")}\"", _build.Output, TimeSpan.FromMinutes(1));

        Assert.Equal(0, exitCode);
        foreach (string symbol in new[] { "memory_pool_create", "memory_pool_destroy", "size_class_pool_create", "size_class_pool_destroy", "validate_strategy", "validate_allocation", "validate_deallocation" })
        {
            Assert.Matches($@"\sT {symbol}\b", symbols);
        }
    }

    [Fact]
    public void The_single_threaded_example_runs_from_C()
    {
        (int exitCode, string output) = _build.RunExample("single_threaded_example");

        Assert.True(exitCode == 0, output);
        Assert.Contains("status 1, validate_deallocation 1", output);
        Assert.Contains("validate_deallocation after free 0", output);
        Assert.Contains("single-threaded example: ok", output);
    }

    [Fact]
    public void The_thread_safe_example_runs_from_C_threads_without_a_failure()
    {
        (int exitCode, string output) = _build.RunExample("thread_safe_example");

        Assert.True(exitCode == 0, output);
        Assert.Contains("2 threads x 100000 rounds, 0 failures, status 1", output);
    }

    [Fact]
    public void The_exported_validators_check_a_pool_written_in_plain_C()
    {
        (int exitCode, string output) = _build.RunExample("validator_example");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("WRONG", output);
        Assert.Contains("validator example: 0 failures", output);
        Assert.Equal(14, output.Split('\n').Count(line => line.TrimEnd().EndsWith(" ok", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_C_struct_a_copy_and_garbage_passed_as_self_are_refused_from_C_threads_without_a_crash()
    {
        // A child process: a thunk that trusted a foreign self would end it, not the test run.
        (int exitCode, string output) = _build.RunExample("foreign_self_check");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("WRONG", output);
        Assert.Contains("foreign self check: 0 failures", output);
        Assert.Equal(5, output.Split('\n').Count(line => line.TrimEnd().EndsWith(" ok", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_single_threaded_example_runs_from_C_on_the_size_class_pool()
    {
        (int exitCode, string output) = _build.RunExample("single_threaded_example_size_class_pool");

        Assert.True(exitCode == 0, output);
        Assert.Contains("status 1, validate_deallocation 1", output);
        Assert.Contains("validate_deallocation after free 0", output);
        Assert.Contains("single-threaded example: ok", output);
    }

    [Fact]
    public void The_thread_safe_example_runs_from_C_threads_on_the_size_class_pool_without_a_failure()
    {
        (int exitCode, string output) = _build.RunExample("thread_safe_example_size_class_pool");

        Assert.True(exitCode == 0, output);
        Assert.Contains("2 threads x 100000 rounds, 0 failures, status 1", output);
    }

    [Fact]
    public void The_size_class_pool_serves_every_size_from_C_and_refuses_double_and_foreign_frees()
    {
        (int exitCode, string output) = _build.RunExample("size_class_pool_example");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("WRONG", output);
        Assert.Equal(9, output.Split('\n').Count(line => line.TrimEnd().EndsWith(" ok", StringComparison.Ordinal)));
        Assert.Contains("size-class pool example: 0 failures", output);
    }

    [Theory]
    [InlineData(typeof(MemoryPoolStrategy), "memory_pool.h")]
    [InlineData(typeof(SizeClassPoolStrategy), "size_class_pool.h")]
    public void The_pool_headers_declare_what_the_generator_exports(Type strategy, string headerName)
    {
        string declarations = (string)strategy
            .GetField("__MemoryStrategy_NativeDeclarations", BindingFlags.NonPublic | BindingFlags.Static)!
            .GetRawConstantValue()!;
        string header = File.ReadAllText(Path.Combine(_build.RepositoryRoot, "native", headerName));

        foreach (string declaration in declarations.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(declaration, header);
        }
    }
}
