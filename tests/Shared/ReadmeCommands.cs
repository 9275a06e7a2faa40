using System.Text.RegularExpressions;

namespace MemoryStrategy.Testing;

/// <summary>
/// The README's command blocks, so that tests run exactly what a user copies. A block is the fenced <c>bash</c> block
/// right after the HTML comment <c>&lt;!-- commands: NAME --&gt;</c> (which a rendered README does not show).
/// </summary>
internal static class ReadmeCommands
{
    /// <summary>The commands of the README block named <paramref name="name"/>, as written.</summary>
    public static string Block(string name)
    {
        string readme = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "README.md"));
        Match match = Regex.Match(
            readme,
            $@"<!-- commands: {Regex.Escape(name)} -->\s*\n```bash\n(?<commands>.*?)\n```",
            RegexOptions.Singleline);
        if (!match.Success)
        {
            throw new InvalidOperationException($"README.md has no bash block marked '<!-- commands: {name} -->'.");
        }

        return match.Groups["commands"].Value;
    }

    /// <summary>
    /// Runs the block with <c>bash -e</c> (the first failing command stops it) in <paramref name="workingDirectory"/>.
    /// <paramref name="environment"/> sets variables such as HOME, so a block's <c>~</c> lands in a test folder.
    /// </summary>
    public static (int ExitCode, string Output) Run(
        string name, string workingDirectory, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
    {
        string script = System.IO.Path.Combine(Directory.CreateTempSubdirectory("memorystrategy-readme-").FullName, name + ".sh");
        File.WriteAllText(script, "set -eo pipefail\n" + Block(name) + "\n");
        try
        {
            return ProcessRunner.Run("bash", $"\"{script}\"", workingDirectory, limit, environment);
        }
        finally
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(script)!, recursive: true);
        }
    }
}
