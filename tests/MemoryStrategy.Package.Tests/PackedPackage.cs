using System.Reflection;

namespace MemoryStrategy.Package.Tests;

/// <summary>
/// Packs the MemoryStrategy package once per test run into a temporary feed, with a private package cache, so
/// every consumer restores this build of the package and never a stale copy from the machine's cache.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public PackedPackage()
    {
        RepositoryRoot = MemoryStrategy.Testing.RepositoryRoot.Path;
        Root = Directory.CreateTempSubdirectory("memorystrategy-package-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        PackageCache = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;

        string configuration = typeof(PackedPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "Configuration").Value ?? "Release";
        (int exitCode, string output) = ProcessRunner.Run(
            "dotnet",
            $"pack \"{Path.Combine(RepositoryRoot, "src", "Package", "MemoryStrategy.Package.csproj")}\" -c {configuration} -o \"{Feed}\"",
            RepositoryRoot,
            TimeSpan.FromMinutes(5));
        PackOutput = output;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{output}");
        }

        PackagePath = Directory.GetFiles(Feed, "MemoryStrategy.*.nupkg").Single();
    }

    public string RepositoryRoot { get; }

    public string Root { get; }

    public string Feed { get; }

    public string PackageCache { get; }

    public string PackagePath { get; }

    public string PackOutput { get; }

    /// <summary>The package's version, read from its file name.</summary>
    public string Version => Path.GetFileNameWithoutExtension(PackagePath)["MemoryStrategy.".Length..];

    /// <summary>Creates a consumer project that references the package and nothing else.</summary>
    public ConsumerProject CreateConsumer(string name, string source, string extraProperties = "") =>
        ConsumerProject.Create(this, name, source, extraProperties);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; the test result is what matters.
        }
    }
}
