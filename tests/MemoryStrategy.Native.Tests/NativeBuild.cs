namespace MemoryStrategy.Native.Tests;

/// <summary>
/// Runs the README's C commands once per test run, as written, in the repository: <c>make deps</c> checks (or
/// installs) the prerequisites, <c>make example</c> publishes the
/// reference pool as the NativeAOT library <c>native/build/libmemorypool.so</c>, compiles the C examples against it
/// into <c>native/build</c> and runs them and the C# examples; then the README's three-command C block (the second
/// publish is incremental). The tests then run the programs from another folder.
/// </summary>
public sealed class NativeBuild
{
    public NativeBuild()
    {
        RepositoryRoot = MemoryStrategy.Testing.RepositoryRoot.Path;
        Output = Path.Combine(RepositoryRoot, "native", "build");
        (DepsExitCode, DepsOutput) = ProcessRunner.Run("make", "deps", RepositoryRoot, TimeSpan.FromMinutes(5));
        (ExitCode, Log) = ProcessRunner.Run("make", "example", RepositoryRoot, TimeSpan.FromMinutes(10));
        if (ExitCode == 0)
        {
            (ReadmeBlockExitCode, ReadmeBlockOutput) = ReadmeCommands.Run("c", RepositoryRoot, TimeSpan.FromMinutes(10));
        }
        else
        {
            (ReadmeBlockExitCode, ReadmeBlockOutput) = (-1, "not run: make example failed");
        }
    }

    public string RepositoryRoot { get; }

    /// <summary>Where the library and the example programs were written (the Makefile's and the README's folder).</summary>
    public string Output { get; }

    /// <summary>The exit code and output of the README's <c>make deps</c> (which installs nothing when all is present).</summary>
    public int DepsExitCode { get; }

    public string DepsOutput { get; }

    /// <summary>The exit code and output of <c>make example</c>.</summary>
    public int ExitCode { get; }

    public string Log { get; }

    /// <summary>The exit code and output of the README's C block.</summary>
    public int ReadmeBlockExitCode { get; }

    public string ReadmeBlockOutput { get; }

    /// <summary>Runs one of the compiled C programs from a folder other than the repository (its rpath is $ORIGIN).</summary>
    public (int ExitCode, string Output) RunExample(string name)
    {
        Assert.True(ExitCode == 0, "make example failed:\n" + Log);
        return ProcessRunner.Run(Path.Combine(Output, name), string.Empty, Path.GetTempPath(), TimeSpan.FromMinutes(2));
    }
}

/// <summary>One <see cref="NativeBuild"/> for every test class that needs it: the build takes minutes.</summary>
[CollectionDefinition(Name)]
public sealed class SharedNativeBuild : ICollectionFixture<NativeBuild>
{
    public const string Name = "native build";
}
