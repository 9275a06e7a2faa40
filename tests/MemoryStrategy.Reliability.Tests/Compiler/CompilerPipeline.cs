using System.Collections.Concurrent;
using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MemoryStrategy.Reliability.Tests.Compiler;

/// <summary>
/// What a build and an IDE do with one source: the generator runs, every analyzer runs over the result, and every
/// code fix offered for an analyzer diagnostic is computed and applied. Whatever throws is reported as a problem, as is
/// generated code that does not compile for a strategy the analyzers accept.
/// </summary>
internal static class CompilerPipeline
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(IMemoryStrategy).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(LivePointerRegistry).Assembly.Location),
    ];

    private static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable);

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
    [
        .. typeof(StrategyShapeAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];

    private static readonly ImmutableArray<CodeFixProvider> Fixes =
    [
        .. typeof(MakePartialFix).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!),
    ];

    public static int AnalyzerCount => Analyzers.Length;

    public static int FixCount => Fixes.Length;

    /// <summary>Runs everything over <paramref name="source"/>.</summary>
    /// <returns>The problems found (empty when nothing threw and the generated code is sound), and how many fixes ran.</returns>
    public static async Task<(List<string> Problems, int FixesApplied)> RunAsync(string source)
    {
        var problems = new List<string>();
        using var workspace = new AdhocWorkspace();
        Document document = workspace.CurrentSolution
            .AddProject("Fuzz", "Fuzz", LanguageNames.CSharp)
            .WithCompilationOptions(Options)
            .WithParseOptions(ParseOptions)
            .AddMetadataReferences(References)
            .AddDocument("Strategy.cs", SourceText.From(source));
        Compilation input = (await document.Project.GetCompilationAsync())!;

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new MemoryStrategyGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        problems.AddRange(driverDiagnostics.Select(d => $"generator: {d}"));
        problems.AddRange(driver.GetRunResult().Results.Select(r => r.Exception).OfType<Exception>().Select(e => $"generator threw: {e}"));

        var thrown = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (e, _, _) => thrown.Enqueue(e), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> analyzerDiagnostics = await output.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
        problems.AddRange(thrown.Select(e => $"analyzer threw: {e}"));
        problems.AddRange(analyzerDiagnostics.Where(d => d.Id == "AD0001").Select(d => $"analyzer: {d}"));

        if (!analyzerDiagnostics.Any(d => d.Id.StartsWith("MEM1", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error))
        {
            problems.AddRange(ErrorsTheGeneratorIntroduced(input, output));
        }

        int applied = await ApplyEveryFixAsync(document, analyzerDiagnostics, problems);
        return (problems, applied);
    }

    /// <summary>
    /// What the generator must never do to a strategy the analyzers accept: when the user's code compiles, the generated
    /// code adds no error at all; when it does not (the user is still typing), the generated files themselves still hold
    /// no error (the user's mistakes may surface differently in the user's file, but the generator adds no junk of its own).
    /// </summary>
    private static IEnumerable<string> ErrorsTheGeneratorIntroduced(Compilation input, Compilation output)
    {
        bool inputCompiles = !input.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        var generatedTrees = output.SyntaxTrees.Except(input.SyntaxTrees).ToHashSet();
        return output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error
                && (inputCompiles || (d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))))
            .Select(d => $"generated code does not compile for a strategy the analyzers accept: {d}");
    }

    private static async Task<int> ApplyEveryFixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, List<string> problems)
    {
        SyntaxTree tree = (await document.GetSyntaxTreeAsync())!;
        int applied = 0;
        foreach (Diagnostic diagnostic in diagnostics.Where(d => d.Location.SourceTree == tree))
        {
            foreach (CodeFixProvider fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                try
                {
                    await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                    foreach (CodeAction action in actions)
                    {
                        foreach (CodeActionOperation operation in await action.GetOperationsAsync(CancellationToken.None))
                        {
                            if (operation is ApplyChangesOperation change)
                            {
                                // Reading the changed text forces the fix's whole rewrite to run.
                                Document changed = change.ChangedSolution.GetDocument(document.Id)!;
                                _ = await changed.GetTextAsync();
                                applied++;
                            }
                        }
                    }
                }
                catch (Exception exception)
                {
                    problems.Add($"{fix.GetType().Name} threw on {diagnostic}: {exception}");
                }
            }
        }

        return applied;
    }
}
