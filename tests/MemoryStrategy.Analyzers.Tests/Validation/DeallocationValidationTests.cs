using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<DeallocationValidationAnalyzer>;

/// <summary>MEM3002: without [Owns] or TrackAllocations a strategy cannot refuse foreign pointers.</summary>
public sealed class DeallocationValidationTests
{
    private const string Cores = "[Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { }";

    public static TheoryData<string> Reports => new()
    {
        "[{|MEM3002:MemoryStrategy|}] public unsafe partial class S { " + Cores + " }",
        "[{|MEM3002:MemoryStrategy(TrackAllocations = false)|}] public unsafe partial class S { " + Cores + " }",
        "[{|MEM3002:MemoryStrategy(MaxAllocationSize = 4096)|}] public unsafe partial class S { " + Cores + " }",
        "[{|MEM3002:MemoryStrategy(Name = \"arena\")|}] internal sealed unsafe partial class S { " + Cores + " [Validate] private bool V() => true; }",
        "public partial class Outer { [{|MEM3002:MemoryStrategy()|}] private unsafe partial class S { " + Cores + " private bool Owns2(void* p) => false; } }",
        "[{|MEM3002:MemoryStrategy|}] public unsafe partial class S { " + Cores + " [Cleanup] private void C() { } }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "[MemoryStrategy(TrackAllocations = true)] public unsafe partial class S { " + Cores + " }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Owns] private bool O(void* p) => false; }",
        "[MemoryStrategy(MaxAllocationSize = 64, TrackAllocations = true)] public unsafe partial class S { " + Cores + " }",
        "public unsafe partial class NotAStrategy { }",
        "[MemoryStrategy] public unsafe partial class S { " + Cores + " [Owns] private bool O(nint wrongSignatureStillDeclaresIntent) => false; }",
        "[MemoryStrategy(TrackAllocations = true, Name = \"x\")] internal sealed unsafe partial class S { " + Cores + " [Owns] private bool O(void* p) => false; }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_strategies_that_cannot_validate_deallocations(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_strategies_with_owns_or_tracking(string code) => Verify.VerifyAsync(Sources.File(code));
}
