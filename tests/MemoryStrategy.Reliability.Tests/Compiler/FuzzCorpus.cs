namespace MemoryStrategy.Reliability.Tests.Compiler;

/// <summary>
/// The sources the compiler-side fuzzing starts from: the repository's own strategies, read from disk when the tests
/// run (so a new sample joins the corpus by itself): the samples, the deliberately wrong strategies, and the test
/// strategies of the generator's and these tests.
/// </summary>
internal static class FuzzCorpus
{
    private static readonly string[] Globs =
    [
        "samples/MemoryPool/MemoryPoolStrategy.cs",
        "samples/BumpArena/BumpArenaStrategy.cs",
        "samples/NativePassThrough/NativePassThroughStrategy.cs",
        "samples/BadStrategies/*.cs",
        "tests/MemoryStrategy.Generators.Tests/Runtime/Strategies/*.cs",
        "tests/MemoryStrategy.Reliability.Tests/Strategies/*.cs",
    ];

    public static IReadOnlyList<(string Name, string Text)> Files { get; } = Load();

    private static List<(string Name, string Text)> Load()
    {
        var files = new List<(string, string)>();
        foreach (string glob in Globs)
        {
            string folder = Path.Combine(RepositoryRoot.Path, Path.GetDirectoryName(glob)!);
            foreach (string file in Directory.GetFiles(folder, Path.GetFileName(glob)).Order(StringComparer.Ordinal))
            {
                files.Add((Path.GetRelativePath(RepositoryRoot.Path, file), File.ReadAllText(file)));
            }
        }

        return files;
    }
}
