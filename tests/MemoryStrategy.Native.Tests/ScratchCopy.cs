namespace MemoryStrategy.Native.Tests;

/// <summary>
/// A copy of the working tree's sources (what git tracks, and untracked files it does not ignore) in a temporary
/// folder, without any build output: where a command that deletes builds can run without touching this test run's.
/// </summary>
internal static class ScratchCopy
{
    public static string OfWorkingTree(string repositoryRoot)
    {
        (int exitCode, string listing) = ProcessRunner.Run(
            "git", "ls-files --cached --others --exclude-standard", repositoryRoot, TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, "the scratch copy lists the sources with git, so this test needs a git checkout:\n" + listing);

        string copy = Directory.CreateTempSubdirectory("memorystrategy-scratch-").FullName;
        foreach (string file in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string source = Path.Combine(repositoryRoot, file);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree, not yet in the index
            }

            string target = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        return copy;
    }

    /// <summary>Every file under <paramref name="root"/>, relative and sorted.</summary>
    public static string[] Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(root, file)).Order(StringComparer.Ordinal)];
}
