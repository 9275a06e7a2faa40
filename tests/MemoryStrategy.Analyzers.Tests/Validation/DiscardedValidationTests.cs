using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<DiscardedValidationAnalyzer>;

/// <summary>MEM3004: a validation whose answer is thrown away.</summary>
public sealed class DiscardedValidationTests
{
    public static TheoryData<string> Reports => new()
    {
        "void M(IMemoryStrategy s) { {|MEM3004:s.Validate()|}; }",
        "void M(IMemoryStrategy s) { {|MEM3004:StrategyValidator.ValidateStrategy(s)|}; }",
        "void M(IMemoryStrategy s) { {|MEM3004:StrategyValidator.ValidateAllocation(s, 16)|}; }",
        "unsafe void M(IMemoryStrategy s, void* p) { {|MEM3004:StrategyValidator.ValidateDeallocation(s, p)|}; }",
        "void M(IMemoryStrategy? s) { s?{|MEM3004:.Validate()|}; }",
        "void M(Impl s) { {|MEM3004:s.Validate()|}; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "bool M(IMemoryStrategy s) => s.Validate();",
        "void M(IMemoryStrategy s) { if (!StrategyValidator.ValidateStrategy(s)) return; }",
        "void M(IMemoryStrategy s) { _ = s.Validate(); }",
        "void M(IMemoryStrategy s) { bool ok = StrategyValidator.ValidateAllocation(s, 8); Console.WriteLine(ok); }",
        "void M(Other o) { o.Validate(); }",
        "void M(IMemoryStrategy s) { s.GetStatus(); }",
    };

    private const string Types = Sources.Implementation + "\npublic sealed class Other { public bool Validate() => true; }";

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_discarded_validation(string method) => Verify.VerifyAsync(Sources.File("public class C { " + method + " }\n" + Types));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_used_or_explicitly_discarded_results(string method) => Verify.VerifyAsync(Sources.File("public class C { " + method + " }\n" + Types));
}
