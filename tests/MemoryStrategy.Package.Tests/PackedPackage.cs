namespace MemoryStrategy.Package.Tests;

/// <summary>
/// Runs the README's package commands once per test run, as written: pack into <c>~/memorystrategy-feed</c>, create
/// <c>~/MyApp</c>, write a <c>nuget.config</c> naming the folder, <c>dotnet add package MemoryStrategy</c>. HOME is a
/// temporary folder, so <c>~</c> lands there, and its NuGet settings use a fresh package cache (so every consumer
/// restores this build of the package, never a stale copy) with the machine's cache, less its <c>memorystrategy</c>, as
/// a read-only fallback for the repository's own dependencies, and no online source: the tests never need the network.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public PackedPackage()
    {
        RepositoryRoot = MemoryStrategy.Testing.RepositoryRoot.Path;
        Root = Directory.CreateTempSubdirectory("memorystrategy-package-").FullName;
        Feed = Path.Combine(Root, "memorystrategy-feed");
        App = Path.Combine(Root, "MyApp");
        PackageCache = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;

        string machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string fallback = MachineCacheWithoutThisPackage(machineCache, Path.Combine(Root, "machine-packages"));
        string userNuGet = Directory.CreateDirectory(Path.Combine(Root, ".nuget", "NuGet")).FullName;
        File.WriteAllText(Path.Combine(userNuGet, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{PackageCache}" />
              </config>
              <packageSources>
                <clear />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{fallback}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        CommandEnvironment = new Dictionary<string, string> { ["HOME"] = Root, ["NUGET_PACKAGES"] = PackageCache };

        (ReadmeExitCode, ReadmeOutput) = ReadmeCommands.Run("package", RepositoryRoot, TimeSpan.FromMinutes(8), CommandEnvironment);
        if (ReadmeExitCode != 0)
        {
            throw new InvalidOperationException($"The README's package commands failed:\n{ReadmeOutput}");
        }

        PackagePath = Directory.GetFiles(Feed, "MemoryStrategy.*.nupkg").Single();
    }

    /// <summary>
    /// The machine's package cache as a fallback folder, less any <c>memorystrategy</c> a user's run of the README's
    /// commands left there: NuGet takes a package found in a fallback folder instead of restoring it, so that copy (an
    /// older pack of the same version) would stand in for this build's. One link per package id, into
    /// <paramref name="folder"/>.
    /// </summary>
    private static string MachineCacheWithoutThisPackage(string machineCache, string folder)
    {
        Directory.CreateDirectory(folder);
        if (Directory.Exists(machineCache))
        {
            foreach (string package in Directory.GetDirectories(machineCache))
            {
                string id = Path.GetFileName(package);
                if (!id.Equals("memorystrategy", StringComparison.OrdinalIgnoreCase))
                {
                    Directory.CreateSymbolicLink(Path.Combine(folder, id), package);
                }
            }
        }

        return folder;
    }

    public string RepositoryRoot { get; }

    /// <summary>The temporary HOME: the feed, the README's app and the package cache live under it.</summary>
    public string Root { get; }

    /// <summary>The README's <c>~/memorystrategy-feed</c>.</summary>
    public string Feed { get; }

    /// <summary>The README's <c>~/MyApp</c>, with the package added by <c>dotnet add package</c>.</summary>
    public string App { get; }

    public string PackageCache { get; }

    public string PackagePath { get; }

    /// <summary>HOME and the package cache every command of these tests runs with.</summary>
    public IReadOnlyDictionary<string, string> CommandEnvironment { get; }

    public int ReadmeExitCode { get; }

    public string ReadmeOutput { get; }

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
