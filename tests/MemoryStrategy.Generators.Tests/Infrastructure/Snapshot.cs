namespace MemoryStrategy.Generators.Tests.Infrastructure;

/// <summary>
/// Golden files: <c>Snapshots/NAME.verified.cs</c> holds the exact expected text. Run the tests with
/// <c>UPDATE_SNAPSHOTS=1</c> to rewrite them from the current output, then review the diff.
/// </summary>
internal static class Snapshot
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1";

    public static string PathOf(string name) => Path.Combine(RepositoryPaths.SnapshotDirectory, name + ".verified.cs");

    public static void Verify(string name, string actual)
    {
        string path = PathOf(name);
        if (Updating)
        {
            Directory.CreateDirectory(RepositoryPaths.SnapshotDirectory);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"No golden file {path}; run the tests with UPDATE_SNAPSHOTS=1 to create it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
