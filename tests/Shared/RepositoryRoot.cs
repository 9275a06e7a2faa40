namespace MemoryStrategy.Testing;

/// <summary>Finds the repository from a test's output folder (any build configuration, and in CI).</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The folder that holds MemoryStrategy.sln.</summary>
    public static string Path => Root.Value;

    private static string Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "MemoryStrategy.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"MemoryStrategy.sln not found above {AppContext.BaseDirectory}.");
    }
}
