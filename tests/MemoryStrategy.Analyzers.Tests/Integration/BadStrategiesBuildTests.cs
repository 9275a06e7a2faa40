using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// Builds samples/BadStrategies with `dotnet build`, exactly as a user's CI would, and checks the build output reports
/// each `// expect: MEMxxxx` comment of the sample: on the comment's own line when it follows code, in the same file
/// when it stands on a line of its own (before a declaration the rule reports). The analyzers load from a project
/// reference, run in the real compiler, and report through MSBuild.
/// </summary>
public sealed partial class BadStrategiesBuildTests
{
    private static readonly string ProjectDirectory = Path.Combine(MemoryStrategy.Testing.RepositoryRoot.Path, "samples", "BadStrategies");

    [Fact]
    public void The_sample_expects_every_rule()
    {
        var ruleIds = AllAnalyzers.Create().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();

        Assert.Equal(ruleIds.Order(), ExpectedIds().Order());
    }

    [Fact]
    public async Task Dotnet_build_reports_each_expected_rule_on_its_line()
    {
        string output = await BuildAsync();

        string[] missing =
        [
            .. Expectations()
                .Where(e => !Regex.IsMatch(output, $@"{Regex.Escape(e.File)}\({(e.Line is int line ? line.ToString() : @"\d+")},\d+\): (warning|error) {e.Id}:"))
                .Select(e => $"{e.File}:{e.Line} {e.Id}"),
        ];
        Assert.True(missing.Length == 0, $"missing from the build output: {string.Join(", ", missing)}\n{output}");
    }

    private static IEnumerable<string> ExpectedIds() => Expectations().Select(e => e.Id).Distinct();

    /// <summary>Every `// expect:` comment: the file's name, the 1-based line (null for a comment on a line of its own), the rule.</summary>
    private static IEnumerable<(string File, int? Line, string Id)> Expectations() =>
        Directory.EnumerateFiles(ProjectDirectory, "*.cs").SelectMany(file => File.ReadAllLines(file).SelectMany((text, index) =>
            Expect().Matches(text).Select(m => (Path.GetFileName(file), text.TrimStart().StartsWith("//", StringComparison.Ordinal) ? (int?)null : index + 1, m.Groups[1].Value))));

    private static async Task<string> BuildAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ProjectDirectory,
        };
        foreach (string argument in new[] { "build", "BadStrategies.csproj", "-c", Configuration, "-nodeReuse:false", "-p:UseSharedCompilation=false", "-clp:NoSummary" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables would point the child build at the test run's SDK state.
        foreach (string variable in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return await stdout + await stderr;
    }

    // The referenced projects are already built in the test's own configuration, so the child build only compiles the
    // sample. The sample never builds successfully (its shape errors are errors), so its compile step is never skipped
    // as up to date and the diagnostics are printed on every run.
    private const string Configuration =
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    [GeneratedRegex(@"// expect: (MEM[0-9]{4})")]
    private static partial Regex Expect();
}
