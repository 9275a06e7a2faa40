namespace MemoryStrategy.Generators.Tests.Infrastructure;

/// <summary>Where this project's golden files live in the repository (found by <see cref="RepositoryRoot"/>).</summary>
internal static class RepositoryPaths
{
    public static string SnapshotDirectory => Path.Combine(RepositoryRoot.Path, "tests", "MemoryStrategy.Generators.Tests", "Snapshots");
}
