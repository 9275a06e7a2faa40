namespace MemoryStrategy.Package.Tests;

/// <summary>
/// Runs the README's package commands once per test run, as written: pack into <c>~/memorystrategy-feed</c>, create
/// <c>~/MyApp</c>, write a <c>nuget.config</c> naming the folder, <c>dotnet add package MemoryStrategy</c>. HOME is a
/// temporary folder, so <c>~</c> lands there, and its NuGet settings use a fresh package cache (so every consumer
/// restores this build of the package, never a stale copy) with the machine's cache as a read-only fallback for the
/// repository's own dependencies, and no online source: the tests never need the network. A machine cache that holds a
/// <c>memorystrategy</c> (left by a run of the README's commands) is refused with a message saying what to remove.
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
        ThrowIfMachineCacheHoldsThisPackage(machineCache);
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
                <add key="machine" value="{machineCache}" />
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
    /// Puts the NativeAOT compiler's packages in the machine's package cache, by restoring a project that publishes
    /// ahead of time through the machine's own NuGet settings, as <c>make native</c> does. The README's C-library commands
    /// publish with HOME's settings, which name no source and find those packages only in the machine cache (the
    /// fallback folder): on a fresh machine they are there only once something has restored them, which must not
    /// depend on which test assembly ran first.
    /// </summary>
    public void RestoreNativeAotCompilerIntoMachineCache()
    {
        string project = Directory.CreateDirectory(Path.Combine(Root, "aot-compiler-restore")).FullName;
        File.WriteAllText(Path.Combine(project, "AotCompilerRestore.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PublishAot>true</PublishAot>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
              </PropertyGroup>
            </Project>
            """);
        (int exitCode, string output) = ProcessRunner.Run("dotnet", "restore", project, TimeSpan.FromMinutes(5));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"Restoring the NativeAOT compiler into the machine's package cache failed:\n{output}");
        }
    }

    /// <summary>
    /// Refuses a machine cache that holds a <c>memorystrategy</c> (an older pack of the same version, left by a run of
    /// the README's commands): NuGet takes a package found in a fallback folder instead of restoring it, so that copy
    /// would stand in for this build's. Hiding it behind a folder of links is no way out: packing restores the
    /// repository's own projects through the same settings, and their assets would then name the links, gone with this
    /// fixture's folder before the rest of the solution's tests build.
    /// </summary>
    internal static void ThrowIfMachineCacheHoldsThisPackage(string machineCache)
    {
        string stale = Path.Combine(machineCache, "memorystrategy");
        if (Directory.Exists(stale))
        {
            throw new InvalidOperationException(
                $"The machine's NuGet cache holds a memorystrategy package ({stale}), which NuGet would restore instead of the one these tests pack. Remove that folder (rm -rf {stale}) and run the tests again.");
        }
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
