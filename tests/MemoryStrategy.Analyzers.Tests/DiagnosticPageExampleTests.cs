using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using MemoryStrategy.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// Compiles the <c>## Bad</c> and <c>## Good</c> examples of every page under docs/diagnostics, runs the generator
/// and every analyzer over each, and checks what the page says: a Bad example reports the page's rule (exactly as many
/// times as it has <c>// MEMxxxx</c> comments naming the rule, at least once when it has none) and no compiler error; a
/// Good example reports no MEM rule and no compiler error. How a block is compiled (a whole file, or the members of a
/// strategy or of a caller, chosen by an HTML comment above the fence) is described in docs/analyzers.md, "Examples on
/// the diagnostic pages". Each page's example is its own test case, named by the page.
/// </summary>
public sealed partial class DiagnosticPageExampleTests
{
    private const string RelativeDirectory = "docs/diagnostics";

    /// <summary>The usings every example gets: the tests' usual ones and the reference pool's namespace.</summary>
    private const string Usings = Sources.Usings + "using MemoryStrategy.Samples;\n";

    private static readonly Lazy<ImmutableArray<Example>> Examples = new(ReadAll);

    /// <summary>
    /// The one compilation every example starts from (its references and options): each case adds its one file. The
    /// reference pool (samples/MemoryPool) is referenced as a library, as a user holding it would.
    /// </summary>
    private static readonly CSharpCompilation Empty = CSharpCompilation.Create(
        "DiagnosticPageExample",
        [],
        [.. TestReferences.All, MetadataReference.CreateFromFile(typeof(MemoryPoolStrategy).Assembly.Location)],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

    public static TheoryData<string, string> BadExamples => Cases("Bad");

    public static TheoryData<string, string> GoodExamples => Cases("Good");

    [Fact]
    public void Every_page_has_a_bad_and_a_good_example()
    {
        string[] pages = [.. Directory.EnumerateFiles(PagesDirectory(), "MEM*.md").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

        Assert.NotEmpty(pages);
        Assert.All(pages, page =>
        {
            Assert.True(Examples.Value.Any(e => e.Page == page && e.Section == "Bad"), page + " has no csharp block under ## Bad");
            Assert.True(Examples.Value.Any(e => e.Page == page && e.Section == "Good"), page + " has no csharp block under ## Good");
        });
    }

    [Theory]
    [MemberData(nameof(BadExamples))]
    public async Task Bad_example_reports_the_page_rule(string page, string example)
    {
        (Example code, PipelineRun run) = await RunAsync(page, example);

        Assert.Empty(run.Crashes());
        Assert.True(CompilerErrors(run).Length == 0, Describe(code, run, "compiler errors"));

        int found = Reported(run).Count(d => d.Id == page);
        int promised = Regex.Matches(code.Text, @"//\s*" + page + @"\b").Count;
        Assert.True(
            promised == 0 ? found > 0 : found == promised,
            Describe(code, run, promised == 0 ? $"expected {page} at least once, found {found}" : $"expected {page} {promised} times (its comments), found {found}"));
    }

    [Theory]
    [MemberData(nameof(GoodExamples))]
    public async Task Good_example_reports_no_rule_and_no_error(string page, string example)
    {
        (Example code, PipelineRun run) = await RunAsync(page, example);

        Assert.Empty(run.Crashes());
        Assert.True(CompilerErrors(run).Length == 0, Describe(code, run, "compiler errors"));
        Assert.True(!Reported(run).Any(d => d.Id.StartsWith("MEM", StringComparison.Ordinal)), Describe(code, run, "MEM diagnostics reported"));
    }

    private static TheoryData<string, string> Cases(string section)
    {
        var data = new TheoryData<string, string>();
        foreach (Example example in Examples.Value.Where(e => e.Section == section))
        {
            data.Add(example.Page, example.Name);
        }

        return data;
    }

    private static async Task<(Example Example, PipelineRun Run)> RunAsync(string page, string name)
    {
        Example example = Examples.Value.Single(e => e.Page == page && e.Name == name);
        SyntaxTree tree = CSharpSyntaxTree.ParseText(example.Source(), AnalyzerRunner.ParseOptions, path: $"{page}.{name.Replace(' ', '.')}.cs");
        return (example, await PipelineRun.RunAsync(Empty.AddSyntaxTrees(tree)));
    }

    /// <summary>What the generator and the analyzers reported.</summary>
    private static IEnumerable<Diagnostic> Reported(PipelineRun run) => run.GeneratorDiagnostics.Concat(run.AnalyzerDiagnostics);

    private static ImmutableArray<Diagnostic> CompilerErrors(PipelineRun run) =>
        [.. run.Output.GetDiagnostics().Concat(run.GeneratorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("MEM", StringComparison.Ordinal))];

    private static string Describe(Example example, PipelineRun run, string problem)
    {
        var text = new StringBuilder($"{RelativeDirectory}/{example.Page}.md, {example.Name} (line {example.Line}, {example.Kind}): {problem}\n");
        foreach (Diagnostic d in Reported(run).Concat(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)).OrderBy(d => d.Location.SourceSpan.Start))
        {
            text.Append("  ").Append(d).Append('\n');
        }

        return text.ToString();
    }

    private static string PagesDirectory() => Path.Combine(MemoryStrategy.Testing.RepositoryRoot.Path, RelativeDirectory);

    /// <summary>Every csharp block under a page's <c>## Bad</c> and <c>## Good</c> headings, in page order.</summary>
    private static ImmutableArray<Example> ReadAll()
    {
        var examples = ImmutableArray.CreateBuilder<Example>();
        foreach (string file in Directory.EnumerateFiles(PagesDirectory(), "MEM*.md").Order(StringComparer.Ordinal))
        {
            string page = Path.GetFileNameWithoutExtension(file);
            string[] lines = File.ReadAllLines(file);
            string? section = null;
            var counts = new Dictionary<string, int>();
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("## ", StringComparison.Ordinal))
                {
                    string heading = lines[i][3..].Trim();
                    section = heading is "Bad" or "Good" ? heading : null;
                    continue;
                }

                if (section is null || lines[i].TrimEnd() != "```csharp")
                {
                    continue;
                }

                int start = i + 1;
                int end = Array.FindIndex(lines, start, l => l.TrimEnd() == "```");
                if (end < 0)
                {
                    throw new InvalidDataException($"{page}.md: the block at line {i + 1} is not closed");
                }

                string kind = "file";
                if (i > 0 && Marker().Match(lines[i - 1].Trim()) is { Success: true } marker)
                {
                    kind = marker.Groups[1].Value;
                }
                else if (i > 0 && lines[i - 1].TrimStart().StartsWith("<!--", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{page}.md, line {i}: an HTML comment above an example must read <!-- example: file|members|caller -->");
                }

                counts[section] = counts.GetValueOrDefault(section) + 1;
                string name = counts[section] == 1 ? section : $"{section} {counts[section]}";
                examples.Add(new Example(page, section, name, kind, start + 1, string.Join('\n', lines[start..end])));
                i = end;
            }
        }

        return examples.ToImmutable();
    }

    [GeneratedRegex(@"^<!--\s*example:\s*(file|members|caller)\s*-->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\[\s*Allocate\s*[\](]")]
    private static partial Regex AllocateMarker();

    [GeneratedRegex(@"\[\s*Deallocate\s*[\](]")]
    private static partial Regex DeallocateMarker();

    /// <summary>One csharp block of a page: <paramref name="Line"/> is its first line in the page (1-based).</summary>
    private sealed record Example(string Page, string Section, string Name, string Kind, int Line, string Text)
    {
        /// <summary>The file the block is compiled as; <c>#line</c> maps the block's own lines back to the page.</summary>
        public string Source()
        {
            string block = $"#line {Line} \"{RelativeDirectory}/{Page}.md\"\n{Text}\n#line default\n";
            return Kind switch
            {
                "file" => Usings + block,
                "members" => Usings
                    + "[MemoryStrategy(TrackAllocations = true)]\npublic sealed unsafe partial class Example\n{\n"
                    + block
                    + (AllocateMarker().IsMatch(Text) ? "" : "    [Allocate] private void* AllocateCore(nuint size) => null;\n")
                    + (DeallocateMarker().IsMatch(Text) ? "" : "    [Deallocate] private void DeallocateCore(void* ptr) { }\n")
                    + "}\n",
                "caller" => Usings + "public unsafe class Caller\n{\n" + block + "}\n",
                _ => throw new InvalidDataException($"{Page}.md: unknown example kind '{Kind}'"),
            };
        }
    }
}
