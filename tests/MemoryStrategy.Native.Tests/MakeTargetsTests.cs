namespace MemoryStrategy.Native.Tests;

/// <summary>
/// The README's make commands: <c>make deps</c> and <c>make example</c> run for real (<see cref="NativeBuild"/>);
/// <c>make all</c>, <c>make test</c> and <c>make clean</c> would rebuild or delete the very build these tests run
/// from, so their recipes are checked (<c>make -n</c>) to be the README's dotnet commands, which CI runs.
/// </summary>
[Collection(SharedNativeBuild.Name)]
public sealed class MakeTargetsTests
{
    private readonly NativeBuild _build;

    public MakeTargetsTests(NativeBuild build) => _build = build;

    [Fact]
    public void Make_deps_finds_or_installs_every_prerequisite()
    {
        Assert.True(_build.DepsExitCode == 0, _build.DepsOutput);
        Assert.Contains("prerequisites:", _build.DepsOutput);
    }

    [Theory]
    [InlineData("all", "dotnet build MemoryStrategy.sln -c Release")]
    [InlineData("test", "dotnet test MemoryStrategy.sln -c Release")]
    [InlineData("clean", "dotnet clean MemoryStrategy.sln -c Release")]
    public void Make_targets_run_the_READMEs_dotnet_commands(string target, string command)
    {
        (int exitCode, string output) = ProcessRunner.Run("make", "-n " + target, _build.RepositoryRoot, TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, output);
        Assert.Contains(command, output);
    }

    [Fact]
    public void CI_runs_the_READMEs_test_command_and_the_prerequisites_script()
    {
        string ci = File.ReadAllText(Path.Combine(_build.RepositoryRoot, ".ci", "run"));

        Assert.Contains("dotnet test MemoryStrategy.sln -c Release", ci);
        Assert.Contains("bash scripts/install-deps.sh", ci);
    }
}
