using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<StrategyShapeAnalyzer>;

/// <summary>MEM1001-MEM1006, MEM1008: each shape problem is reported where the user fixes it, and valid shapes are silent.</summary>
public sealed class ShapeRuleTests
{
    private const string Cores = """
            [Allocate] private void* A(nuint size) => null;
            [Deallocate] private void D(void* ptr) { }
        """;

    public static TheoryData<string> NotPartial => new()
    {
        "[MemoryStrategy] public sealed unsafe class {|MEM1001:S|} { " + Cores + " }",
        "[MemoryStrategy] internal unsafe class {|MEM1001:S|} { " + Cores + " }",
        "public class {|MEM1001:Outer|} { [MemoryStrategy] public unsafe partial class S { " + Cores + " } }",
        "public partial class Outer { public class {|MEM1001:Middle|} { [MemoryStrategy] public unsafe partial class S { " + Cores + " } } }",
        "public static class {|MEM1001:Holder|} { [MemoryStrategy] private sealed unsafe class {|MEM1001:S|} { " + Cores + " } }",
        "namespace N { [MemoryStrategy] public sealed unsafe class {|MEM1001:S|} { " + Cores + " } }",
    };

    public static TheoryData<string> MissingMarker => new()
    {
        "[MemoryStrategy] public unsafe partial class {|MEM1002:S|} { [Allocate] private void* A(nuint size) => null; }",
        "[MemoryStrategy] public unsafe partial class {|MEM1002:S|} { [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public partial class {|MEM1002:{|MEM1002:S|}|} { }",
        "[MemoryStrategy] public unsafe partial class {|MEM1002:S|} { [Owns] private bool O(void* p) => false; [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class {|MEM1002:S|} { private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }",
    };

    public static TheoryData<string> WrongSignature => new()
    {
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* {|MEM1003:A|}(int size) => null; [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private static void* {|MEM1003:A|}(nuint size) => null; [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* {|MEM1003:A|}<T>(nuint size) => null; [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private int {|MEM1003:D|}(void* p) => 1; }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* {|MEM1003:A|}(nuint size, object thread) => null; [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* {|MEM1003:A|}(StrategyThread thread, nuint size) => null; [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private bool {|MEM1003:D|}(void* p, ref StrategyThread thread) => true; }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void {|MEM1003:D|}(void* p, StrategyThread thread, int extra) { } }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Owns] private bool {|MEM1003:O|}(nint p) => false; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Validate] private bool {|MEM1003:V|}(int level) => true; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Cleanup] private int {|MEM1003:C|}() => 0; }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void {|MEM1003:D|}(ref byte p) { } }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [AllocateSlow] private void* {|MEM1003:AS|}(int size) => null; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [DeallocateSlow] private int {|MEM1003:DS|}(void* p) => 0; }",
        // A split free's fast half says whether it took the block: with a [DeallocateSlow], a void [Deallocate] is wrong.
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void {|MEM1003:D|}(void* p) { } [DeallocateSlow] private void DS(void* p) { } }",

        // The generated call of a core obsolete as an error was CS0619 in the generated half.
        "[MemoryStrategy] public unsafe partial class S { [Obsolete(\"gone\", true)] [Allocate] private void* {|MEM1003:A|}(nuint size) => null; [Deallocate] private void D(void* p) { } }",
    };

    public static TheoryData<string> Duplicate => new()
    {
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Allocate] private void* {|MEM1004:A2|}(nuint size) => null; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Deallocate] private void {|MEM1004:D2|}(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Owns] private bool O(void* p) => false; [Owns] private bool {|MEM1004:O2|}(void* p) => true; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Validate] private bool V() => true; [Validate] private bool {|MEM1004:V2|}() => true; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Cleanup] private void C() { } [Cleanup] private void {|MEM1004:C2|}() { } }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [AllocateSlow] private void* AS(nuint size) => null; [AllocateSlow] private void* {|MEM1004:AS2|}(nuint size) => null; }",
    };

    public static TheoryData<string> Unsupported => new()
    {
        "[MemoryStrategy] public unsafe partial class {|MEM1005:S|}<T> { " + Cores + " }",
        "[MemoryStrategy] public static unsafe partial class {|MEM1005:S|} { [Allocate] private static void* {|MEM1003:A|}(nuint size) => null; [Deallocate] private static void {|MEM1003:D|}(void* p) { } }",
        "[MemoryStrategy] public abstract unsafe partial class {|MEM1005:S|} { " + Cores + " }",
        "[{|CS0592:MemoryStrategy|}] public unsafe partial struct {|MEM1005:S|} { " + Cores + " }",
        "[{|CS0592:MemoryStrategy|}] public unsafe partial record struct {|MEM1005:S|} { " + Cores + " }",
        "public partial class Outer<T> { [MemoryStrategy] public unsafe partial class {|MEM1005:S|} { " + Cores + " } }",
    };

    public static TheoryData<string> Conflicting => new()
    {
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " public void* {|MEM1006:Allocate|}(nuint size) => null; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " public void {|MEM1006:Dispose|}() { } }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " private int {|MEM1006:__MemoryStrategy_count|}; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " public int {|MEM1006:GetStatus|} => 0; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " public nuint {|MEM1006:MaxAllocationSize|} => 1; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " public object? {|MEM1006:StatusTracker|} { get; } }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " private void {|MEM1006:LimitMaxAllocationSize|}(nuint max) { } }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " public int {|MEM1006:ForCurrentThread|}() => 0; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " public struct {|MEM1006:ThreadScope|} { } }",
    };

    public static TheoryData<string> InvalidNativeExport => new()
    {
        "[MemoryStrategy(NativeExport = \"memory-pool\")] public unsafe partial class {|MEM1008:S|} { " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"9pool\")] public unsafe partial class {|MEM1008:S|} { " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pthread\")] public unsafe partial class {|MEM1008:S|} { " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pthread_mutex\")] public unsafe partial class {|MEM1008:S|} { " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"thrd\")] public unsafe partial class {|MEM1008:S|} { " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"memfd\")] public unsafe partial class {|MEM1008:S|} { " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class {|MEM1008:S|} { public S(string name) { } " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class {|MEM1008:S|} { public S(int a) { } public S(nuint b) { } " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class {|MEM1008:S|} { public S(ref int a) { } " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class {|MEM1008:S|} { public S(decimal d) { } public S(object o) { } " + Cores + " }",
        // Two strategies under one prefix: both are reported, each naming the other.
        "[MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class {|MEM1008:P|} { " + Cores + " } [MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class {|MEM1008:Q|} { " + Cores + " }",
        "namespace N1 { [MemoryStrategy(NativeExport = \"p\")] public unsafe partial class {|MEM1008:S|} { " + Cores + " } } namespace N2 { [MemoryStrategy(NativeExport = \"p\")] public unsafe partial class {|MEM1008:S|} { " + Cores + " } }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [AllocateSlow] private void* AS(nuint size, StrategyThread t) => null; [Deallocate] private bool D(void* p, StrategyThread t) => false; [DeallocateSlow] private void DS(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private bool D(void* p) => false; }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size, StrategyThread thread) => null; [Deallocate] private bool D(void* p, StrategyThread thread) => false; [Owns] private bool O(void* p) => false; }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(nuint size, MemoryStrategy.StrategyThread t) => null; [Deallocate] private void D(void* p, global::MemoryStrategy.StrategyThread t) { } }",
        "[MemoryStrategy] public sealed unsafe partial class S { " + Cores + " }",
        "namespace N; public partial class Outer { [MemoryStrategy] internal sealed unsafe partial class S { " + Cores + " } }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Owns] private bool O(void* p) => false; [Validate] private bool V() => true; [Cleanup] private void C() { } }",
        "[MemoryStrategy] public unsafe partial class S { [Allocate] public void* A(nuint size) => null; [Deallocate] protected void D(void* p) { } private int Allocated; public void* AllocateTwice(nuint s) => null; }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " } public unsafe partial class S { private int _x; }",
        "public unsafe class NotAStrategy { public void* Allocate(nuint size) => null; public void Dispose() { } }",
        "[MemoryStrategy(MaxAllocationSize = 64, Name = \"n\")] public unsafe partial class S { " + Cores + " public void* AllocateAligned(nuint size) => null; }",
        "[MemoryStrategy(NativeExport = \"memory_pool\")] public unsafe partial class S { " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pthread_pool\")] public unsafe partial class S { " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"_p2\")] public unsafe partial class S { public S(nuint size, int count, bool strict, double f) { } " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class S { public S(nuint size) { } public S(string name) { } " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class S { private S(long a, ulong b, nint c, byte d) { } public S(object o) { } " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"\")] public unsafe partial class S { public S(string name) { } " + Cores + " }",
        "[MemoryStrategy(NativeExport = \"pool_a\")] public unsafe partial class P { " + Cores + " } [MemoryStrategy(NativeExport = \"pool_b\")] public unsafe partial class Q { " + Cores + " }",
    };

    [Theory]
    [MemberData(nameof(NotPartial))]
    public Task MEM1001_reports_each_non_partial_type(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(MissingMarker))]
    public Task MEM1002_reports_a_missing_required_marker(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(WrongSignature))]
    public Task MEM1003_reports_a_wrong_marker_signature(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [InlineData("public unsafe interface IA { void* A(nuint size); } [MemoryStrategy] public unsafe partial class S : IA { [Allocate] void* IA.A(nuint size) => null; [Deallocate] private void D(void* p) { } }",
        "not as an explicit interface implementation")]
    [InlineData("[MemoryStrategy] public unsafe partial class S { private void* this[nuint size] { [Allocate] get => null; } [Deallocate] private void D(void* p) { } }",
        "not as an accessor or an operator")]
    [InlineData("[MemoryStrategy] public unsafe partial class S { [Allocate] private void* A(in nuint size) => null; [Deallocate] private void D(void* p) { } }",
        "with every parameter taken by value (no in, ref, out or params)")]
    [InlineData("[MemoryStrategy] public unsafe partial class S { [Obsolete(\"gone\", true)] [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }",
        "callable by the generated half: not [Obsolete] as an error")]
    public async Task MEM1003_says_what_is_wrong_when_the_types_are_right(string code, string reason)
    {
        // The signature alone ('void* M(nuint size)') read as satisfied by each of these.
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(Sources.File(code), new StrategyShapeAnalyzer());

        Assert.Contains(reason, Assert.Single(diagnostics, d => d.Id == "MEM1003").GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Duplicate))]
    public Task MEM1004_reports_a_duplicated_marker(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(Unsupported))]
    public Task MEM1005_reports_an_unsupported_type(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(Conflicting))]
    public Task MEM1006_reports_a_member_the_generator_emits(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(InvalidNativeExport))]
    public Task MEM1008_reports_a_strategy_that_cannot_be_exported_to_C(string code) => Verify.VerifyAsync(Sources.File(code));

    [Fact]
    public async Task MEM1008_names_every_other_strategy_under_the_same_prefix()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(
            Sources.File(string.Concat(new[] { "P", "Q", "R" }.Select(name =>
                "[MemoryStrategy(NativeExport = \"pool\")] public unsafe partial class " + name + " { " + Cores + " } "))),
            new StrategyShapeAnalyzer());

        string[] messages = [.. diagnostics.Where(d => d.Id == "MEM1008").Select(d => d.GetMessage()).Order()];
        Assert.Equal(3, messages.Length);
        Assert.Contains("Strategy 'P' cannot be exported to C: 'pool' is also the prefix of 'Q', 'R', so 'pool_create' and 'pool_destroy' would be defined twice", messages[0]);
        Assert.Contains("'pool' is also the prefix of 'P', 'R'", messages[1]);
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Valid_shapes_are_silent(string code) => Verify.VerifyAsync(Sources.File(code));
}
