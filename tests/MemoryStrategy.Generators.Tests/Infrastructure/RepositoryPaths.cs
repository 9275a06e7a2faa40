namespace MemoryStrategy.Generators.Tests.Infrastructure;

/// <summary>Finds files of the repository from the test's output folder (works for any build configuration and in CI).</summary>
internal static class RepositoryPaths
{
    public static string RepositoryRoot => MemoryStrategy.Testing.RepositoryRoot.Path;

    public static string TestProjectDirectory => Path.Combine(RepositoryRoot, "tests", "MemoryStrategy.Generators.Tests");

    public static string SnapshotDirectory => Path.Combine(TestProjectDirectory, "Snapshots");
}
