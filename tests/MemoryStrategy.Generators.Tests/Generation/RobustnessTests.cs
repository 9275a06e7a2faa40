using MemoryStrategy.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Generators.Tests.Generation;

/// <summary>
/// What the generator does with classes it must not complete and with broken code: it skips them silently (the
/// analyzers report why), never throws (no CS8785), and never reports a diagnostic of its own.
/// </summary>
public sealed class RobustnessTests
{
    private const string Usings = "using System.Runtime.InteropServices;\nusing MemoryStrategy;\n";

    private const string Markers = """
            [Allocate] private void* A(nuint size) => NativeMemory.Alloc(size);
            [Deallocate] private void D(void* ptr) => NativeMemory.Free(ptr);
        """;

    public static TheoryData<string, string> Skipped => new()
    {
        { "not partial", $"[MemoryStrategy] unsafe class S {{ {Markers} }}" },
        { "container not partial", $"class Outer {{ [MemoryStrategy] unsafe partial class S {{ {Markers} }} }}" },
        { "generic", $"[MemoryStrategy] unsafe partial class S<T> {{ {Markers} }}" },
        { "nested in a generic type", $"partial class Outer<T> {{ [MemoryStrategy] unsafe partial class S {{ {Markers} }} }}" },
        { "static", "[MemoryStrategy] static partial class S { }" },
        { "abstract", $"[MemoryStrategy] abstract unsafe partial class S {{ {Markers} }}" },
        { "record", $"[MemoryStrategy] unsafe partial record S {{ {Markers} }}" },
        { "struct", $"[MemoryStrategy] unsafe partial struct S {{ {Markers} }}" },
        { "file-local", $"[MemoryStrategy] file unsafe partial class S {{ {Markers} }}" },
        { "no deallocate", "[MemoryStrategy] unsafe partial class S { [Allocate] private void* A(nuint size) => null; }" },
        { "no allocate", "[MemoryStrategy] unsafe partial class S { [Deallocate] private void D(void* ptr) { } }" },
        { "wrong signature", "[MemoryStrategy] unsafe partial class S { [Allocate] private void* A(int size) => null; [Deallocate] private void D(void* ptr) { } }" },
        { "static marker", "[MemoryStrategy] unsafe partial class S { [Allocate] private static void* A(nuint size) => null; [Deallocate] private void D(void* ptr) { } }" },
        { "duplicate marker", $"[MemoryStrategy] unsafe partial class S {{ {Markers} [Allocate] private void* B(nuint size) => null; }}" },
        { "declares a generated member", $"[MemoryStrategy] unsafe partial class S {{ {Markers} public void Dispose() {{ }} }}" },
        { "declares a reserved name", $"[MemoryStrategy] unsafe partial class S {{ {Markers} private int __MemoryStrategy_x; }}" },
        { "namespace still being typed", $"namespace A. {{ [MemoryStrategy] unsafe partial class S {{ {Markers} }} }}" },
        { "namespace with an empty part", $"namespace A..B {{ [MemoryStrategy] unsafe partial class S {{ {Markers} }} }}" },
        { "class without a name yet", $"[MemoryStrategy] unsafe partial class {{ {Markers} }}" },
        { "container without a name yet", $"partial class {{ [MemoryStrategy] unsafe partial class S {{ {Markers} }} }}" },
        { "exported, with a constructor parameter not named yet", $"[MemoryStrategy(NativeExport = \"s\")] unsafe partial class S {{ public S(int ) {{ }} {Markers} }}" },
    };

    public static TheoryData<string, string> Broken => new()
    {
        { "limit of the wrong type", $"[MemoryStrategy(MaxAllocationSize = \"big\")] unsafe partial class S {{ {Markers} }}" },
        { "limit as an array", $"[MemoryStrategy(MaxAllocationSize = new long[] {{ 1 }})] unsafe partial class S {{ {Markers} }}" },
        { "name of the wrong type", $"[MemoryStrategy(Name = 42)] unsafe partial class S {{ {Markers} }}" },
        { "flag of the wrong type", $"[MemoryStrategy(TrackAllocations = 1)] unsafe partial class S {{ {Markers} }}" },
        { "unknown argument", $"[MemoryStrategy(Bogus = 1)] unsafe partial class S {{ {Markers} }}" },
        { "positional argument", $"[MemoryStrategy(12)] unsafe partial class S {{ {Markers} }}" },
        { "missing bodies", "[MemoryStrategy] unsafe partial class S { [Allocate] private void* A(nuint size); [Deallocate] private void D(void* ptr); }" },
        { "cut in the middle", "[MemoryStrategy] unsafe partial class S { [Allocate] private void* A(nuint size) => Native" },
        { "cut in the attribute", "[MemoryStrategy(MaxAllocationSize = " },
        { "unbound marker", "[MemoryStrategy] unsafe partial class S { [Alocate] private void* A(nuint size) => null; }" },
        { "attribute twice", $"[MemoryStrategy] [MemoryStrategy] unsafe partial class S {{ {Markers} }}" },
    };

    [Theory]
    [MemberData(nameof(Skipped))]
    public void Classes_it_cannot_complete_are_skipped_silently(string why, string source)
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + source);

        Assert.True(run.Sources.Count == 0, $"{why}: generated {run.Sources.Count} file(s).");
        Assert.Empty(run.DriverDiagnostics);
        Assert.Null(run.Single.Exception);
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Broken_code_never_makes_it_throw_or_report(string why, string source)
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + source);

        Assert.True(run.Single.Exception is null, $"{why}: {run.Single.Exception}");
        Assert.Empty(run.DriverDiagnostics);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), diagnostic => diagnostic.Id == "CS8785");
    }

    [Fact]
    public void Attribute_arguments_of_the_wrong_type_fall_back_to_the_defaults()
    {
        GeneratorRun run = GeneratorHarness.Run(Usings + $"[MemoryStrategy(MaxAllocationSize = \"big\", Name = 42)] unsafe partial class S {{ {Markers} }}");

        string text = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Contains($"__MemoryStrategy_MaxAllocationSize = {MemoryStrategyAttribute.DefaultMaxAllocationSize};", text, StringComparison.Ordinal);
        Assert.Contains("new global::MemoryStrategy.StatusTracker(\"S\")", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_attribute_generates_one_file_for_the_class()
    {
        GeneratorRun run = GeneratorHarness.Run(
            Usings + $"[MemoryStrategy] unsafe partial class S {{ {Markers} }}",
            "[MemoryStrategy.MemoryStrategy] partial class S { }");

        Assert.Single(run.Sources);
        Assert.Null(run.Single.Exception);
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Compilation compilation = GeneratorHarness.CreateCompilation(Usings + $"[MemoryStrategy] unsafe partial class S {{ {Markers} }}");

        Assert.ThrowsAny<OperationCanceledException>(() => GeneratorHarness.CreateDriver().RunGenerators(compilation, cancelled.Token));
    }
}
