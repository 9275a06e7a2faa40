using System.Reflection;

namespace MemoryStrategy.Native.Tests;

/// <summary>
/// Runs the README's C path once per test run, into a temporary folder: <c>make native-examples</c> publishes the
/// reference pool as the NativeAOT library <c>libmemorypool.so</c> and compiles the C examples against it with gcc.
/// </summary>
public sealed class NativeBuild : IDisposable
{
    public NativeBuild()
    {
        RepositoryRoot = MemoryStrategy.Testing.RepositoryRoot.Path;
        Output = Directory.CreateTempSubdirectory("memorystrategy-native-").FullName;
        string configuration = typeof(NativeBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "Configuration").Value ?? "Release";
        (ExitCode, Log) = ProcessRunner.Run(
            "make", $"native-examples NATIVE_OUT=\"{Output}\" CONFIG={configuration}", RepositoryRoot, TimeSpan.FromMinutes(8));
    }

    public string RepositoryRoot { get; }

    /// <summary>Where the library and the example programs were written.</summary>
    public string Output { get; }

    public int ExitCode { get; }

    public string Log { get; }

    /// <summary>Runs one of the compiled C programs.</summary>
    public (int ExitCode, string Output) RunExample(string name)
    {
        Assert.True(ExitCode == 0, "make native-examples failed:\n" + Log);
        return ProcessRunner.Run(Path.Combine(Output, name), string.Empty, Output, TimeSpan.FromMinutes(2));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Output, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
