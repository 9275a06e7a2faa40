namespace MemoryStrategy.Native.Tests;

/// <summary>
/// The README's make commands, each run for real somewhere: <c>make deps</c> and <c>make example</c> here
/// (<see cref="NativeBuild"/>); <c>make all</c> and <c>make test</c> by CI, whose build and test commands they are
/// (<c>.ci/run</c>), so here their recipes are checked to be the README's dotnet commands; <c>make clean</c> would
/// delete the build these tests run from, so it runs on a scratch copy of the working tree.
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
    public void Make_targets_run_the_READMEs_dotnet_commands(string target, string command)
    {
        (int exitCode, string output) = ProcessRunner.Run("make", "-n " + target, _build.RepositoryRoot, TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, output);
        Assert.Contains(command, output);
    }

    [Fact]
    public void CI_builds_and_tests_with_the_READMEs_make_commands_after_the_prerequisites_script()
    {
        string ci = File.ReadAllText(Path.Combine(_build.RepositoryRoot, ".ci", "run"));

        Assert.Contains("bash scripts/install-deps.sh", ci);
        Assert.Contains("make all && make test", ci);
    }

    [Fact]
    public void Make_clean_removes_every_build_output_and_nothing_else_even_from_a_broken_build()
    {
        string copy = ScratchCopy.OfWorkingTree(_build.RepositoryRoot);
        try
        {
            string[] sources = ScratchCopy.Files(copy);
            string[] outputs =
            [
                Path.Combine(copy, "src", "Runtime", "bin", "Release", "net10.0", "MemoryStrategy.Runtime.dll"),
                Path.Combine(copy, "src", "Runtime", "obj", "Release", "net10.0", "MemoryStrategy.Runtime.dll"),
                Path.Combine(copy, "samples", "MemoryPool", "obj", "Release", "net10.0", "MemoryPool.dll"),
                Path.Combine(copy, "native", "build", "libmemorypool.so"),
                Path.Combine(copy, "native", "build", "thread_safe_example"),
            ];
            foreach (string output in outputs)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(output)!);
                File.WriteAllText(output, "build output");
            }

            // A corrupt restore output fails dotnet clean; make clean must still remove everything.
            string corrupt = Path.Combine(copy, "src", "Abstractions", "obj", "project.assets.json");
            Directory.CreateDirectory(Path.GetDirectoryName(corrupt)!);
            File.WriteAllText(corrupt, "not json");
            outputs = [.. outputs, corrupt];

            (int exitCode, string log) = ProcessRunner.Run("make", "clean", copy, TimeSpan.FromMinutes(3));

            Assert.True(exitCode == 0, log);
            Assert.All(outputs, output => Assert.False(File.Exists(output), output + " survived make clean"));
            Assert.False(Directory.Exists(Path.Combine(copy, "native", "build")), "native/build survived make clean");
            Assert.DoesNotContain(
                Directory.EnumerateDirectories(copy, "*", SearchOption.AllDirectories),
                directory => Path.GetFileName(directory) is "bin" or "obj");
            Assert.Equal(sources, ScratchCopy.Files(copy));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
