using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<UseBeforeValidationAnalyzer>;

/// <summary>MEM3003: strategies from parameters, fields and calls are validated before they allocate or free.</summary>
public sealed class UseBeforeValidationTests
{
    private const string Get = "IMemoryStrategy Get() => null!; ";

    public static TheoryData<string> Reports => new()
    {
        "void M(IMemoryStrategy s) { void* p = {|MEM3003:s.Allocate(8)|}; }",
        "void M(IMemoryStrategy s, void* p) { {|MEM3003:s.Deallocate(p)|}; }",
        "IMemoryStrategy _s = null!; void M() { {|MEM3003:_s.Allocate(8)|}; }",
        Get + "void M() { {|MEM3003:Get().Allocate(8)|}; }",
        "void M(IMemoryStrategy s, bool b) { if (b && !s.Validate()) return; {|MEM3003:s.Allocate(8)|}; }",
        "void M(IMemoryStrategy s) { s.Validate(); {|MEM3003:s.Allocate(8)|}; }",
        "void M(IMemoryStrategy s, IMemoryStrategy t) { if (!s.Validate()) return; s = t; {|MEM3003:s.Allocate(8)|}; }",
        "void M(IMemoryStrategy s, IMemoryStrategy t) { if (!StrategyValidator.ValidateStrategy(t)) return; {|MEM3003:s.Allocate(8)|}; }",
        Get + "void M() { var s = Get(); {|MEM3003:s.Allocate(1)|}; }",
        "void M(Impl s) { {|MEM3003:s.Allocate(1)|}; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "void M(IMemoryStrategy s) { if (!StrategyValidator.ValidateStrategy(s)) return; s.Allocate(8); }",
        "void M(IMemoryStrategy s) { if (s.Validate()) { s.Allocate(8); } }",
        "void M(IMemoryStrategy s) { if (!StrategyValidator.ValidateStrategy(s)) return; void* p = s.Allocate(1024); if (p != null && StrategyValidator.ValidateDeallocation(s, p)) s.Deallocate(p); }",
        "void M() { using var s = new Impl(); s.Allocate(8); }",
        "void M(IMemoryStrategy s) { if (!StrategyValidator.ValidateAllocation(s, 64)) throw new InvalidOperationException(); s.Allocate(64); }",
        "void M(IMemoryStrategy s) { while (!s.Validate()) { Thread.Sleep(1); } s.Allocate(1); }",
        "void* M(IMemoryStrategy s) => s.Validate() ? s.Allocate(8) : null;",
        "void M(IMemoryStrategy s) { if (!s.Validate()) return; for (int i = 0; i < 3; i++) { void* p = s.Allocate(8); s.Deallocate(p); } }",
    };

    /// <summary>A strategy class that holds strategies in fields, routing to them from its cores.</summary>
    public static TheoryData<string> Holders => new()
    {
        "[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy _fallback = new Impl(); [Allocate] private void* A(nuint size) => _fallback.Allocate(size); [Deallocate] private void D(void* p) => _fallback.Deallocate(p); }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] _classes = [new()]; [Allocate] private void* A(nuint size) => _classes[0].Allocate(size); [Deallocate] private void D(void* p) => this._classes[0].Deallocate(p); }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_use_before_validation(string members) => Verify.VerifyAsync(Sources.Caller(members));

    [Fact]
    public Task Reports_a_field_of_a_class_that_is_not_a_strategy() =>
        Verify.VerifyAsync(Sources.File(Sources.Implementation + "\npublic unsafe class Holder { private readonly IMemoryStrategy _inner = new Impl(); public void* Get() => {|MEM3003:_inner.Allocate(8)|}; }"));

    [Theory]
    [MemberData(nameof(Holders))]
    public Task Does_not_report_a_strategy_routing_to_the_strategies_it_holds(string code) =>
        Verify.VerifyAsync(Sources.File(Sources.Implementation + "\n" + code));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_validated_or_fresh_strategies(string members) => Verify.VerifyAsync(Sources.Caller(members));
}
