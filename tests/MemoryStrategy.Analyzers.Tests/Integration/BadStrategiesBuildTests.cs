using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// Builds samples/BadStrategies with `dotnet build`, exactly as a user's CI would, and checks the build output names
/// every rule that a `// expect: MEMxxxx` comment in the sample promises: the analyzers load from a project
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
    public async Task Dotnet_build_reports_each_expected_rule()
    {
        string output = await BuildAsync();

        string[] missing = [.. ExpectedIds().Where(id => !Regex.IsMatch(output, $@"(warning|error) {id}:"))];
        Assert.True(missing.Length == 0, $"missing from the build output: {string.Join(", ", missing)}\n{output}");
    }

    private static IEnumerable<string> ExpectedIds() =>
        Directory.EnumerateFiles(ProjectDirectory, "*.cs")
            .SelectMany(file => Expect().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Distinct();

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
