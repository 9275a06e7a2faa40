using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MemoryStrategy.Generators.Tests.Infrastructure;

/// <summary>
/// Compiles test sources against the .NET 10 reference assemblies (no download at test time) plus
/// MemoryStrategy.Abstractions and MemoryStrategy.Runtime, and runs the generator over them.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithDocumentationMode(DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(IMemoryStrategy).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(LivePointerRegistry).Assembly.Location),
    ];

    private static readonly CSharpCompilationOptions Options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        .WithAllowUnsafe(true)
        .WithNullableContextOptions(NullableContextOptions.Enable)
        .WithWarningLevel(9999)
        .WithDeterministic(true);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "ShapeUnderTest",
            sources.Select((source, index) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{index}.cs")),
            References,
            Options);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new MemoryStrategyGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(params string[] sources)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(driver.GetRunResult(), output, diagnostics);
    }

    /// <summary>Every diagnostic of <paramref name="compilation"/> that a build would show (hidden ones excluded).</summary>
    public static IReadOnlyList<Diagnostic> VisibleDiagnostics(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToList();
}

/// <summary>One generator run: its result, the compilation with the generated trees, and the driver's own diagnostics.</summary>
internal sealed record GeneratorRun(GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    public GeneratorRunResult Single => Assert.Single(Result.Results);

    public IReadOnlyList<GeneratedSourceResult> Sources => Single.GeneratedSources;
}
