namespace MemoryStrategy.Testing;

/// <summary>The repository's root folder, found from the test's output folder. Linked into the test projects that need it.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MemoryStrategy.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MemoryStrategy.sln not found above " + AppContext.BaseDirectory);
    }
}
