using MemoryStrategy.Analyzers;

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

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_markers_inside_strategies_or_lookalike_methods(string code) => Verify.VerifyAsync(Sources.File(code));
}
