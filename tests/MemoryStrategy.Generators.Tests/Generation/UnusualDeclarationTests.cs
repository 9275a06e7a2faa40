using MemoryStrategy.Generators.Tests.Infrastructure;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Generators.Tests.Generation;

/// <summary>
/// Valid declarations the other shape tests do not write: strategies whose file names would collide, and cores the user
/// marked for their own callers (<c>[Obsolete]</c> with a diagnostic id of its own, <c>[Experimental]</c>). Each must
/// generate code that compiles with no warning, or be skipped with the reason named (the analyzers report it).
/// </summary>
public sealed class UnusualDeclarationTests
{
    private const string Usings = "using System;\nusing System.Diagnostics.CodeAnalysis;\nusing System.Runtime.InteropServices;\nusing MemoryStrategy;\n";

    private const string Markers = """
            [Allocate] private void* A(nuint size) => NativeMemory.Alloc(size);
            [Deallocate] private void D(void* ptr) => NativeMemory.Free(ptr);
        """;

    [Fact]
    public void Strategies_whose_names_differ_only_in_case_each_get_their_file()
    {
        // Roslyn compares hint names ignoring case (they become files): 'N.Pool.g.cs' and 'N.pool.g.cs' made the
        // generator throw (CS8785), and no strategy of the project was generated.
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"namespace N {{ [MemoryStrategy] sealed unsafe partial class Pool {{ {Markers} }} [MemoryStrategy] sealed unsafe partial class pool {{ {Markers} }} }}");

        Assert.Null(run.Single.Exception);
        Assert.Equal(2, run.Sources.Count);
        Assert.DoesNotContain(GeneratorHarness.VisibleDiagnostics(run.Output), diagnostic => diagnostic.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Theory]
    [InlineData("namespace N { partial class pool { [MemoryStrategy] sealed unsafe partial class S { MARKERS } } }")]
    [InlineData("namespace N { [MemoryStrategy] sealed unsafe partial class @arena { MARKERS } }")]
    public void A_lower_case_type_name_is_reported_at_the_users_declaration_only(string source)
    {
        // CS8981 (a name the language may reserve) is the user's to silence where they declare the type; the generated
        // re-declaration repeated it where no pragma of theirs reaches.
        GeneratorRun run = GeneratorHarness.Run(Usings + "#pragma warning disable CS8981\n" + source.Replace("MARKERS", Markers, StringComparison.Ordinal));

        Assert.Single(run.Sources);
        Assert.Empty(GeneratorHarness.VisibleDiagnostics(run.Output));
    }

    [Fact]
    public void Names_that_collide_only_across_projects_files_keep_their_plain_hint_names()
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"namespace N {{ [MemoryStrategy] sealed unsafe partial class Pool {{ {Markers} }} [MemoryStrategy] sealed unsafe partial class Arena {{ {Markers} }} }}");

        Assert.Equal(["N.Arena.g.cs", "N.Pool.g.cs"], run.Sources.Select(source => source.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_nested_strategy_named_like_a_namespaced_one_does_not_stop_the_generator()
    {
        // 'Outer.S.g.cs' twice: invalid C# (CS0101, a namespace and a class both named Outer), but the user is told
        // that by the compiler; the generator throwing on top of it dropped every other strategy's code.
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"partial class Outer {{ [MemoryStrategy] sealed unsafe partial class S {{ {Markers} }} }}",
            Usings + $"namespace Outer {{ [MemoryStrategy] sealed unsafe partial class S {{ {Markers} }} }}");

        Assert.Null(run.Single.Exception);
        Assert.Equal(2, run.Sources.Count);
    }

    [Theory]
    [InlineData("[Obsolete(\"use B\", DiagnosticId = \"POOL0001\")]", "POOL0001")]
    [InlineData("[Experimental(\"POOLEXP\")]", "POOLEXP")]
    public void A_core_marked_for_its_callers_gives_no_diagnostic_in_the_generated_code(string mark, string id)
    {
        // Its own id, not CS0618: the generated half reported a warning (with Experimental, an error) in a file the user
        // cannot edit or suppress in.
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"[MemoryStrategy] sealed unsafe partial class S {{ {mark} [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) {{ }} "
            + $"{mark} [Owns] private bool O(void* p) => false; {mark} [Cleanup] private void C() {{ }} }}");

        Assert.Single(run.Sources);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), diagnostic => diagnostic.Id == id);
    }

    [Theory]
    [InlineData("[Obsolete(\"use another\", DiagnosticId = \"POOL0002\")]", "POOL0002")]
    [InlineData("[Experimental(\"POOLEXP2\")]", "POOLEXP2")]
    public void An_exported_constructor_marked_for_its_callers_gives_no_diagnostic_in_the_generated_code(string mark, string id)
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"[MemoryStrategy(NativeExport = \"marked\")] sealed unsafe partial class S {{ {mark} public S(int n) {{ }} {Markers} }}");

        Assert.Single(run.Sources);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), diagnostic => diagnostic.Id == id);
    }

    [Fact]
    public void A_diagnostic_id_that_cannot_be_named_in_a_pragma_is_left_out_of_it()
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + "[MemoryStrategy] sealed unsafe partial class S { [Obsolete(\"x\", DiagnosticId = \"MY-ID 1\")] [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }");

        string text = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Contains("#pragma warning disable CS0612, CS0618\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), diagnostic => diagnostic.Id.StartsWith("CS16", StringComparison.Ordinal));
    }

    [Fact]
    public void A_core_obsolete_as_an_error_is_skipped_and_named()
    {
        // Generated, the call to it was CS0619 in the generated half: an error the user could not fix there.
        GeneratorRun run = GeneratorHarness.Run(
            Usings + "[MemoryStrategy] sealed unsafe partial class S { [Obsolete(\"gone\", true)] [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }");

        Assert.Empty(run.Sources);
        INamedTypeSymbol type = run.Output.GetTypeByMetadataName("S")!;
        ShapeProblem problem = Assert.Single(StrategyShape.Read(type, new KnownSymbols(run.Output), CancellationToken.None).Problems);
        Assert.Equal(ShapeProblemKind.WrongSignature, problem.Kind);
        Assert.Contains("not [Obsolete] as an error", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_C_declaration_renames_parameters_C_cannot_take()
    {
        // Copied into a header, 'int32_t int', 'int64_t signed' and 'int32_t größe' did not compile as C.
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"[MemoryStrategy(NativeExport = \"kw\")] sealed unsafe partial class S {{ public S(int @int, long signed, bool restrict, int NULL, int größe, nuint size) {{ }} {Markers} }}");

        Assert.Contains(
            "MemoryStrategy* kw_create(int32_t int_, int64_t signed_, bool restrict_, int32_t NULL_, int32_t arg4, size_t size);",
            Assert.Single(run.Sources).SourceText.ToString(),
            StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.VisibleDiagnostics(run.Output));
    }
}
