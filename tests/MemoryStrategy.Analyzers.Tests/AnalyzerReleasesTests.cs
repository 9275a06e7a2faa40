namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// <c>src/Analyzers/AnalyzerReleases.Unshipped.md</c> lists each rule with the analyzer that reports it. Roslyn's
/// release tracking checks the id, category and severity columns; nothing checks the analyzer names, so this does.
/// </summary>
public sealed class AnalyzerReleasesTests
{
    [Fact]
    public void Every_rule_in_the_release_file_names_the_analyzer_that_reports_it()
    {
        var rows = File.ReadLines(Path.Combine(MemoryStrategy.Testing.RepositoryRoot.Path, "src", "Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Where(line => line.StartsWith("MEM", StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
        var reporters = AllAnalyzers.Create()
            .SelectMany(analyzer => analyzer.SupportedDiagnostics.Select(d => (d.Id, Analyzer: analyzer.GetType().Name)))
            .ToLookup(pair => pair.Id, pair => pair.Analyzer);

        Assert.Equal(reporters.Select(group => group.Key).Order(), rows.Select(row => row[0]).Order());
        Assert.All(rows, row => Assert.True(
            reporters[row[0]].Contains(row[3]),
            $"{row[0]} names {row[3]}; reported by {string.Join(", ", reporters[row[0]])}"));
    }
}
