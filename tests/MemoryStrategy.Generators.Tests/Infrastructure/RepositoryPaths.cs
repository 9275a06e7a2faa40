namespace MemoryStrategy.Generators.Tests.Infrastructure;

/// <summary>Finds files of the repository from the test's output folder (works for any build configuration and in CI).</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepositoryRoot => Root.Value;

    public static string TestProjectDirectory => Path.Combine(RepositoryRoot, "tests", "MemoryStrategy.Generators.Tests");

    public static string SnapshotDirectory => Path.Combine(TestProjectDirectory, "Snapshots");

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MemoryStrategy.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"MemoryStrategy.sln not found above {AppContext.BaseDirectory}.");
    }
}
