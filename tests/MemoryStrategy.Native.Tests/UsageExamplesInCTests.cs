using System.Reflection;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Native.Tests;

/// <summary>
/// The C `MemoryStrategy` interface for real: the reference pool, written in C#, published as a C shared library; the
/// interface's two usage examples compiled from C against it; the exported validators checked on a pool written in
/// plain C. Everything is built by the README's commands (<see cref="NativeBuild"/>).
/// </summary>
[Collection(SharedNativeBuild.Name)]
public sealed class UsageExamplesInCTests
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
    public void Make_example_runs_the_examples_from_C_and_from_CSharp()
    {
        Assert.True(_build.ExitCode == 0, _build.Log);
        Assert.Contains("single-threaded example: ok", _build.Log);
        Assert.Contains("validator example: all 14 checks agree with the contract", _build.Log);
        Assert.Contains("all examples passed", _build.Log);
    }

    [Fact]
    public void The_READMEs_C_block_builds_under_native_build_and_its_program_runs_from_any_folder()
    {
        Assert.True(_build.ReadmeBlockExitCode == 0, _build.ReadmeBlockOutput);
        Assert.Contains("0 failures", _build.ReadmeBlockOutput);

        // Written where the README says, not in the repository root, and found by its rpath from another folder.
        Assert.False(File.Exists(Path.Combine(_build.RepositoryRoot, "thread_safe_example")));
        (int exitCode, string output) = _build.RunExample("thread_safe_example");
        Assert.True(exitCode == 0, output);
        Assert.Contains("0 failures", output);
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
        Assert.DoesNotContain("DISAGREES", output);
        Assert.Contains("validator example: all 14 checks agree with the contract", output);
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

    [Fact]
    public void Calls_from_a_threads_exit_destructors_are_refused_without_a_crash()
    {
        // A child process: glibc runs pthread key destructors after the runtime detached the thread, and a call that
        // entered .NET then ended the process (it aborted, every run, before the thread-exit hook).
        (int exitCode, string output) = _build.RunExample("thread_exit_calls");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("WRONG", output);
        Assert.Contains("8 destructors ran", output);
        Assert.Contains("0 allocations from exit destructors ok", output);
        Assert.Contains("thread exit calls: 0 failures", output);
        Assert.Equal(3, output.Split('\n').Count(line => line.TrimEnd().EndsWith(" ok", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_forked_child_destroys_the_pools_while_the_parents_threads_were_inside_calls()
    {
        // A child process: the parent's worker threads hold their reader marks (validate_deallocation, answered in C)
        // when it forks; in the child they do not exist, and destroying the pool there waited for their marks forever
        // (the program kills a child after 10 s and reports it hung).
        (int exitCode, string output) = _build.RunExample("fork_child_calls");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("WRONG", output);
        Assert.Contains("0 of 20 children hung ok", output);
        Assert.Contains("fork child calls: 0 failures", output);
        Assert.Equal(3, output.Split('\n').Count(line => line.TrimEnd().EndsWith(" ok", StringComparison.Ordinal)));
    }

    [Fact]
    public void Threads_holding_a_whole_pool_between_them_are_never_refused_from_C()
    {
        // Eight C threads hold a reference pool of 8 x 37 blocks between them with churn: the fast paths in C, the
        // refills, flushes and steals in .NET. Before an allocation waited for blocks moving between tiers, about half
        // the runs refused some allocations with blocks free.
        (int exitCode, string output) = _build.RunExample("full_capacity_calls");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("WRONG", output);
        Assert.Contains("full capacity calls: 0 failures", output);
        Assert.Equal(6, output.Split('\n').Count(line => line.TrimEnd().EndsWith(" ok", StringComparison.Ordinal)));
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
