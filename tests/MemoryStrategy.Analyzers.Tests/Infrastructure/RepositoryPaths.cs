namespace MemoryStrategy.Analyzers.Tests;

/// <summary>Finds the repository from the test assembly's folder (the directory holding MemoryStrategy.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MemoryStrategy.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MemoryStrategy.sln not found above " + AppContext.BaseDirectory);
    }
}
