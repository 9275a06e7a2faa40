using System.Reflection;
using System.Text.RegularExpressions;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// Every test source, cut at many points as if the user were still typing it, goes through the generator and
/// every analyzer: nothing may throw (no AD0001, no CS8785). Incomplete code is what an IDE feeds analyzers most.
/// </summary>
public sealed partial class RobustnessTests
{
    private const int CutsPerSource = 10;

    public static TheoryData<string> TestClasses => new(
        typeof(RobustnessTests).Assembly.GetTypes().Where(t => Snippets(t).Any()).Select(t => t.Name).Order());

    [Theory]
    [MemberData(nameof(TestClasses))]
    public async Task No_analyzer_or_generator_throws_on_incomplete_sources(string testClass)
    {
        Type type = typeof(RobustnessTests).Assembly.GetTypes().Single(t => t.Name == testClass);
        var crashes = new List<string>();
        foreach (string source in Snippets(type).Select(Wrap))
        {
            for (int cut = 1; cut <= CutsPerSource; cut++)
            {
                string typed = source[..(source.Length * cut / CutsPerSource)];
                PipelineRun run = await PipelineRun.RunAsync(typed);
                crashes.AddRange(run.Crashes().Select(c => $"cut {cut}/{CutsPerSource} of:\n{typed}\n=> {c}"));
            }
        }

        Assert.Empty(crashes);
    }

    [Fact]
    public void The_corpus_covers_every_rule_test_class()
    {
        // A rule test class whose data is not picked up here would silently escape the robustness run.
        int count = ((IEnumerable<object[]>)TestClasses).Count();
        Assert.True(count >= 15, $"only {count} test classes found");
    }

    /// <summary>The snippets of a test class: every static TheoryData&lt;string&gt; it declares, markup removed.</summary>
    private static IEnumerable<string> Snippets(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(TheoryData<string>) && p.DeclaringType != typeof(RobustnessTests))
            .SelectMany(p => ((IEnumerable<object[]>)p.GetValue(null)!).Select(row => (string)row[0]))
            .Select(snippet => Markup().Replace(snippet, string.Empty));

    /// <summary>Snippets are whole files, strategy members or caller members; each gets the wrapper it was written for.</summary>
    private static string Wrap(string snippet) =>
        snippet.Contains("class ") || snippet.Contains("struct ") ? Sources.File(snippet)
        : snippet.Contains("IMemoryStrategy") ? Sources.Caller(snippet)
        : Sources.Strategy(snippet);

    [GeneratedRegex(@"\{\|[A-Z]+[0-9]+:|\|\}")]
    private static partial Regex Markup();
}
