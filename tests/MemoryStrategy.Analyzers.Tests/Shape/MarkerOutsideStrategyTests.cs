using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<MarkerOutsideStrategyAnalyzer>;

/// <summary>MEM1007: markers only mean something inside a [MemoryStrategy] class.</summary>
public sealed class MarkerOutsideStrategyTests
{
    public static TheoryData<string> Reports => new()
    {
        "public unsafe partial class S { [{|MEM1007:Allocate|}] private void* A(nuint size) => null; }",
        "public unsafe class S { [{|MEM1007:Deallocate|}] private void D(void* p) { } }",
        "public unsafe class S { [{|MEM1007:Owns|}] public bool O(void* p) => false; [{|MEM1007:Validate|}] public bool V() => true; }",
        "internal unsafe struct S { [{|MEM1007:Cleanup|}] private void C() { } }",
        "public unsafe class Outer { [MemoryStrategy] public unsafe partial class Inner { } [{|MEM1007:Allocate|}] private void* A(nuint size) => null; }",
        "public unsafe class S { [{|MEM1007:Allocate|}] private static void* A(int wrong) => null; }",

        // Inside a strategy: reported only as MEM1002 (no [Allocate]) before, though the marker was right there.
        "[MemoryStrategy] public unsafe partial class S { [Deallocate] private void D(void* p) { } [Owns] private bool O(void* p) => false; "
            + "private void M() { [{|MEM1007:Allocate|}] void* A(nuint size) => null; } }",
        "public unsafe class S { private void M() { [{|MEM1007:Cleanup|}] static void C() { } C(); } }",
        "public unsafe class S { private Func<int> F() => [{|MEM1007:Validate|}] () => 1; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class S { [Owns] private bool O(void* p) => false; }",
        "public unsafe class S { public void* Allocate(nuint size) => null; public void Deallocate(void* p) { } }",
        "public class S { [Obsolete] public void Validate() { } }",
        "[MemoryStrategy] public unsafe partial class S { [Validate] private bool V() => true; [Cleanup] private void C() { } }",
        "public class S { [GuardedBy(\"_gate\")] private int _count; private readonly object _gate = new(); public int Count { get { lock (_gate) return _count; } } }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_a_marker_outside_a_strategy(string code) => Verify.VerifyAsync(Sources.File(code));

    [Fact]
    public async Task A_marker_on_a_local_function_says_why_it_is_not_read()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(
            Sources.File("[MemoryStrategy] public unsafe partial class S { [Deallocate] private void D(void* p) { } private void M() { [Allocate] void* A(nuint size) => null; } }"),
            new MarkerOutsideStrategyAnalyzer());

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("[Allocate] on 'A' has no effect: the generator reads only methods of a [MemoryStrategy] class, not local functions", diagnostic.GetMessage());
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_markers_inside_strategies_or_lookalike_methods(string code) => Verify.VerifyAsync(Sources.File(code));
}
