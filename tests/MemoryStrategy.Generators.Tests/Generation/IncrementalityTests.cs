using System.Runtime.CompilerServices;
using MemoryStrategy.Generators.Tests.Infrastructure;
using MemoryStrategy.Generators.Tests.Shapes;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MemoryStrategy.Generators.Tests.Generation;

/// <summary>
/// The pipeline caches what it should: runs the driver twice with <c>trackIncrementalGeneratorSteps</c> and reads the
/// run reason of every named step (<see cref="TrackingNames"/>) and of the source output.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string Strategy = ShapeCatalog.FileScopedNamespace.Source;

    private const string Unrelated = """
        namespace Other;

        /// <summary>Has nothing to do with strategies.</summary>
        public static class Helper
        {
            /// <summary>A value.</summary>
            public static int Answer() => 42;
        }
        """;

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        GeneratorRunResult second = RunTwice([Strategy, Unrelated], sources => Replaced(sources, 1, Unrelated.Replace("42", "43", StringComparison.Ordinal)));

        AssertEveryStep(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Editing_a_method_body_leaves_the_output_unchanged()
    {
        GeneratorRunResult second = RunTwice([Strategy], sources => Replaced(sources, 0, Strategy.Replace(
            "_start != null && Volatile.Read(ref _offset) >= 0", "_start != null", StringComparison.Ordinal)));

        // The transform ran again on the edited tree, produced an equal model, and nothing downstream ran.
        Assert.Contains(StepReasons(second, TrackingNames.Candidates), reason => reason == IncrementalStepRunReason.Unchanged);
        AssertEveryStep(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Editing_what_the_model_holds_regenerates_the_strategy()
    {
        // The counter-test: the assertions above can fail.
        GeneratorRunResult second = RunTwice([Strategy], sources => Replaced(sources, 0, Strategy.Replace(
            "MaxAllocationSize = 4096", "MaxAllocationSize = 8192", StringComparison.Ordinal)));

        Assert.Equal([IncrementalStepRunReason.Modified], StepReasons(second, TrackingNames.Strategies));
        Assert.Contains("= 8192;", second.GeneratedSources[0].SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_a_second_strategy_generates_only_it()
    {
        GeneratorRunResult second = RunTwice([Strategy], sources => [.. sources, ShapeCatalog.GlobalNamespace.Source]);

        IncrementalStepRunReason[] reasons = StepReasons(second, TrackingNames.Strategies);
        Assert.Equal(2, reasons.Length);
        Assert.Single(reasons, IncrementalStepRunReason.New);
        Assert.Single(reasons, reason => reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        IncrementalStepRunReason[] outputs = second.TrackedOutputSteps.SelectMany(step => step.Value)
            .SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();
        Assert.Single(outputs, IncrementalStepRunReason.New);
        Assert.Equal(2, second.GeneratedSources.Length);
    }

    [Fact]
    public void The_previous_compilation_can_be_collected_after_the_next_run()
    {
        (WeakReference previous, GeneratorDriver driver) = RunTwiceAndForgetTheFirstCompilation();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(previous.IsAlive);
        GC.KeepAlive(driver);
    }

    [Fact]
    public void A_generator_that_keeps_a_symbol_keeps_the_previous_compilation_alive()
    {
        // The counter-test: the collectability check above detects a model that holds a symbol.
        (WeakReference previous, GeneratorDriver driver) = RunTwiceAndForgetTheFirstCompilation(new SymbolKeepingGenerator());

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.True(previous.IsAlive);
        GC.KeepAlive(driver);
    }

    [Fact]
    public void No_tracked_step_output_holds_a_roslyn_object()
    {
        GeneratorRunResult result = GeneratorHarness.Run([.. ShapeCatalog.All.Select(shape => shape.Source)]).Single;

        foreach (string name in TrackingNames.All)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"The step {name} was not tracked.");
            foreach (IncrementalGeneratorRunStep step in result.TrackedSteps[name])
            {
                foreach ((object value, IncrementalStepRunReason _) in step.Outputs)
                {
                    Assert.Null(RoslynObjectWalker.FindRoslynObject(value));
                }
            }
        }
    }

    [Fact]
    public void The_walker_finds_roslyn_objects_however_deep_they_sit()
    {
        // Proves the test above can fail: a model that smuggles a symbol, a node or a location is caught.
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Strategy);
        INamedTypeSymbol symbol = compilation.GetTypeByMetadataName("Samples.Arenas.BumpArena")!;
        SyntaxNode node = compilation.SyntaxTrees[0].GetRoot();

        Assert.NotNull(RoslynObjectWalker.FindRoslynObject(new BadModel("a", [new Holder(symbol)])));
        Assert.NotNull(RoslynObjectWalker.FindRoslynObject(new BadModel("b", [new Holder(node)])));
        Assert.NotNull(RoslynObjectWalker.FindRoslynObject(new BadModel("c", [new Holder(symbol.Locations[0])])));
        Assert.NotNull(RoslynObjectWalker.FindRoslynObject(new BadModel("d", [new Holder(compilation)])));
        Assert.Null(RoslynObjectWalker.FindRoslynObject(new BadModel("e", [new Holder("text"), new Holder(42)])));
    }

    private static GeneratorRunResult RunTwice(string[] sources, Func<List<string>, List<string>> edit)
    {
        CSharpCompilation first = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(first);

        List<string> edited = edit([.. sources]);
        CSharpCompilation second = first.RemoveAllSyntaxTrees().AddSyntaxTrees(
            edited.Select((source, index) => first.SyntaxTrees.ElementAtOrDefault(index) is { } tree && tree.ToString() == source
                ? tree
                : CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: $"Source{index}.cs")));
        return driver.RunGenerators(second).GetRunResult().Results.Single();
    }

    private static List<string> Replaced(List<string> sources, int index, string source)
    {
        sources[index] = source;
        return sources;
    }

    private static IncrementalStepRunReason[] StepReasons(GeneratorRunResult result, string name) =>
        result.TrackedSteps[name].SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();

    private static void AssertEveryStep(GeneratorRunResult result, params IncrementalStepRunReason[] allowed)
    {
        foreach (string name in TrackingNames.All)
        {
            Assert.All(StepReasons(result, name), reason => Assert.Contains(reason, allowed));
        }

        Assert.All(
            result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.Contains(output.Reason, allowed));
    }

    /// <summary>
    /// Both runs happen here, in a frame that is gone when the test inspects the reference: only what the driver keeps
    /// can hold the first compilation alive.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Compilation, GeneratorDriver Driver) RunTwiceAndForgetTheFirstCompilation(IIncrementalGenerator? generator = null)
    {
        CSharpCompilation first = GeneratorHarness.CreateCompilation(Strategy, Unrelated);
        GeneratorDriver driver = (generator is null
            ? GeneratorHarness.CreateDriver()
            : CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions))
            .RunGenerators(first);
        Compilation second = first.WithAssemblyName("Edited");
        driver = driver.RunGenerators(second);
        return (new WeakReference(first), driver);
    }

    /// <summary>
    /// A deliberately wrong generator: its pipeline value is the type symbol itself, compared by name (as a model that
    /// "looks equatable" would be), so the driver keeps the first run's symbol as the cached value.
    /// </summary>
    private sealed class SymbolKeepingGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<ISymbol> symbols = context.SyntaxProvider.ForAttributeWithMetadataName(
                MarkerNames.MemoryStrategyAttribute,
                static (node, _) => true,
                static (attributeContext, _) => attributeContext.TargetSymbol)
                .WithComparer(new SameName());
            context.RegisterSourceOutput(symbols, static (output, symbol) => output.AddSource("Kept.g.cs", "// " + symbol.Name));
        }
    }

    private sealed class SameName : IEqualityComparer<ISymbol>
    {
        public bool Equals(ISymbol? x, ISymbol? y) => x?.Name == y?.Name;

        public int GetHashCode(ISymbol obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }

    private sealed record BadModel(string Name, List<Holder> Parts);

    private sealed class Holder(object value)
    {
        private readonly object _value = value;

        public override string ToString() => _value.ToString() ?? string.Empty;
    }
}
