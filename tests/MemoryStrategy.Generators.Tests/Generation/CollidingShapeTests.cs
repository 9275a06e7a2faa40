using MemoryStrategy.Generators.Tests.Infrastructure;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Generators.Tests.Generation;

/// <summary>
/// Classes whose generated half would collide with what they declare or inherit, whose cores the compiler would drop,
/// or that an export could not construct: the generator skips each (generating it gave code that did not compile, or
/// that compiled and lost the checks or the core), and the shape rules name the reason, which the analyzers report
/// (MEM1003, MEM1005, MEM1006, MEM1008).
/// </summary>
public sealed class CollidingShapeTests
{
    private const string Usings = "using System;\nusing System.Runtime.InteropServices;\nusing MemoryStrategy;\n";

    private const string Markers = """
            [Allocate] private void* A(nuint size) => NativeMemory.Alloc(size);
            [Deallocate] private void D(void* ptr) => NativeMemory.Free(ptr);
        """;

    public static TheoryData<string, string, string, string> Collisions => new()
    {
        // CS0542 in the generated half: a member cannot be named as its enclosing type.
        { "named like a generated member", $"[MemoryStrategy] unsafe partial class StatusTracker {{ {Markers} }}", nameof(ShapeProblemKind.ConflictingMember), "StatusTracker" },

        // Compiled, and every call through the interface reached the user's member instead of the checked one.
        { "explicit IMemoryStrategy.Allocate", $"[MemoryStrategy] unsafe partial class S {{ {Markers} void* IMemoryStrategy.Allocate(nuint size) => null; }}", nameof(ShapeProblemKind.ConflictingMember), "IMemoryStrategy.Allocate" },
        { "explicit IDisposable.Dispose", $"[MemoryStrategy] unsafe partial class S {{ {Markers} void IDisposable.Dispose() {{ }} }}", nameof(ShapeProblemKind.ConflictingMember), "IDisposable.Dispose" },
        { "explicit IMemoryStrategy.StatusTracker", $"[MemoryStrategy] unsafe partial class S {{ {Markers} StatusTracker IMemoryStrategy.StatusTracker => null!; }}", nameof(ShapeProblemKind.ConflictingMember), "IMemoryStrategy.StatusTracker" },

        // CS0108 / CS0114 in the generated half: errors where warnings are.
        { "base declares Dispose", $"class Base : IDisposable {{ public virtual void Dispose() {{ }} }} [MemoryStrategy] unsafe partial class S : Base {{ {Markers} }}", nameof(ShapeProblemKind.ConflictingMember), "Base.Dispose" },
        { "base declares a field Allocate", $"class Base {{ protected int Allocate; }} [MemoryStrategy] unsafe partial class S : Base {{ {Markers} }}", nameof(ShapeProblemKind.ConflictingMember), "Base.Allocate" },

        // CS9035 and CS0619 in the generated export.
        { "exported, with a required member", $"[MemoryStrategy(NativeExport = \"s\")] unsafe partial class S {{ public S(int a) {{ }} public required int X {{ get; init; }} {Markers} }}", nameof(ShapeProblemKind.NativeExport), "'X' is required" },
        { "exported, with an obsolete-as-error constructor", $"[MemoryStrategy(NativeExport = \"s\")] unsafe partial class S {{ [Obsolete(\"no\", true)] public S(int a) {{ }} {Markers} }}", nameof(ShapeProblemKind.NativeExport), "[Obsolete] as an error" },
    };

    [Theory]
    [MemberData(nameof(Collisions))]
    public void A_collision_is_skipped_and_named(string why, string source, string kind, string detail)
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + source);

        Assert.True(run.Sources.Count == 0, $"{why}: generated {run.Sources.Count} file(s).");
        Assert.Null(run.Single.Exception);
        ShapeProblem problem = Assert.Single(ReadShape(run.Output, "S", "StatusTracker").Problems);
        Assert.Equal(kind, problem.Kind.ToString());
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Cleanup] partial void C();")]
    [InlineData("[Cleanup] [System.Diagnostics.Conditional(\"NEVER_DEFINED\")] private void C() { }")]
    public void A_marker_whose_calls_the_compiler_removes_is_skipped_and_named(string cleanup)
    {
        // Generated, the call compiled to nothing: a cleanup that never ran, silently.
        GeneratorRun run = GeneratorHarness.Run(Usings + $"[MemoryStrategy] unsafe partial class S {{ {Markers} {cleanup} }}");

        Assert.Empty(run.Sources);
        ShapeProblem problem = Assert.Single(ReadShape(run.Output, "S").Problems);
        Assert.Equal(nameof(ShapeProblemKind.WrongSignature), problem.Kind.ToString());
        Assert.Contains("not [Conditional], not a partial method without an implementation", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partial_marker_with_an_implementation_is_generated()
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"[MemoryStrategy] unsafe partial class S {{ {Markers} [Cleanup] partial void C(); partial void C() {{ }} }}");

        Assert.Single(run.Sources);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), diagnostic => diagnostic.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3, "7.3")]
    [InlineData(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp8, "8.0")]
    public void A_strategy_compiled_as_a_version_older_than_CSharp_9_is_skipped_and_named(Microsoft.CodeAnalysis.CSharp.LanguageVersion version, string shown)
    {
        // UIntPtr, not nuint: the cores themselves are valid C# of that version; only the generated half would not be.
        var parse = GeneratorHarness.ParseOptions.WithLanguageVersion(version);
        var compilation = GeneratorHarness.CreateCompilation().AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
            "using MemoryStrategy;\n[MemoryStrategy] unsafe partial class S { [Allocate] private void* A(System.UIntPtr size) { return null; } [Deallocate] private void D(void* p) { } }",
            parse));
        GeneratorDriver driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create([new MemoryStrategy.SourceGeneration.MemoryStrategyGenerator().AsSourceGenerator()], parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);

        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
        ShapeProblem problem = Assert.Single(ReadShape(output, "S").Problems);
        Assert.Equal(nameof(ShapeProblemKind.UnsupportedType), problem.Kind.ToString());
        Assert.StartsWith($"compiled as C# {shown} (set <LangVersion> to 9.0 or later", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Obsolete_cores_and_constructor_give_no_warning_in_the_generated_code()
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + "[MemoryStrategy(NativeExport = \"old_pool\")] unsafe partial class S { [System.Obsolete(\"use another\")] public S(int n) { } "
            + "[Allocate, System.Obsolete] private void* A(nuint size) => null; [Deallocate, System.Obsolete(\"x\")] private void D(void* p) { } }");

        Assert.Single(run.Sources);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), diagnostic => diagnostic.Id is "CS0612" or "CS0618");
    }

    [Fact]
    public void A_strategy_derived_from_a_strategy_is_skipped_and_its_base_generated()
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"[MemoryStrategy] unsafe partial class Base {{ {Markers} }} [MemoryStrategy] unsafe partial class S : Base {{ {Markers} }}");

        Assert.Equal("Base.g.cs", Assert.Single(run.Sources).HintName);
        ShapeProblem problem = Assert.Single(ReadShape(run.Output, "S").Problems);
        Assert.Equal(ShapeProblemKind.UnsupportedType, problem.Kind);
        Assert.Equal("derived from the strategy 'Base'", problem.Detail);
    }

    [Fact]
    public void Members_a_derived_class_cannot_see_do_not_collide()
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"class Base {{ private void Dispose() {{ }} }} [MemoryStrategy] unsafe partial class S : Base {{ {Markers} }}");

        Assert.Single(run.Sources);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning);
    }

    [Fact]
    public void A_class_nested_in_a_generic_type_is_named_as_such()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + $"partial class Outer<T> {{ [MemoryStrategy] unsafe partial class S {{ {Markers} }} }}");

        ShapeProblem problem = Assert.Single(ReadShape(run.Output, "Outer`1+S").Problems);
        Assert.Equal("nested in a generic type", problem.Detail);
    }

    [Theory]
    [InlineData("strategy")]
    [InlineData("S")]
    public void An_exported_constructor_parameter_never_clashes_with_the_exports_names(string parameter)
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"[MemoryStrategy(NativeExport = \"s\")] public sealed unsafe partial class S {{ public S(int {parameter}, bool on) {{ }} {Markers} }}");

        Assert.Single(run.Sources);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), diagnostic => diagnostic.Severity == DiagnosticSeverity.Error);
        Assert.Contains($"MemoryStrategy* s_create(int32_t {parameter}, bool on);", run.Sources[0].SourceText.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The shape the analyzers read for the first of <paramref name="names"/> the compilation declares.</summary>
    private static StrategyShape ReadShape(Compilation compilation, params string[] names)
    {
        INamedTypeSymbol type = names.Select(compilation.GetTypeByMetadataName).First(found => found is not null)!;
        return StrategyShape.Read(type, new KnownSymbols(compilation), CancellationToken.None);
    }
}
