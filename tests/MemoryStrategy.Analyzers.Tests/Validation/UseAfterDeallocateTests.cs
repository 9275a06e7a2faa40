using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<UseAfterDeallocateAnalyzer>;

/// <summary>MEM3006: a pointer is dead once it was passed to Deallocate.</summary>
public sealed class UseAfterDeallocateTests
{
    private const string Consume = "static void Consume(void* p) { } ";

    public static TheoryData<string> Reports => new()
    {
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); *(byte*){|MEM3006:p|} = 1; }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); {|MEM3006:s.Deallocate(p)|}; }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); NativeMemory.Clear({|MEM3006:p|}, 8); }",
        Consume + "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); Consume({|MEM3006:p|}); }",
        "void M(IMemoryStrategy s, void* p, bool b) { if (b) s.Deallocate(p); else s.Deallocate(p); {|MEM3006:s.Deallocate(p)|}; }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); if (p == null) return; s.Deallocate(p); byte v = *(byte*){|MEM3006:p|}; }",
        "void M(Impl s, byte* p) { s.Deallocate(p); {|MEM3006:p|}[0] = 0; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); p = null; }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); if (p != null) Console.WriteLine(\"freed\"); }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); Console.WriteLine((nint)p); }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); bool owned = s.Owns(p); }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); p = s.Allocate(8); if (p != null) *(byte*)p = 1; }",
        "void M(IMemoryStrategy s, void* p, void* q) { s.Deallocate(p); *(byte*)q = 1; }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); _ = StrategyValidator.ValidateDeallocation(s, p); }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_use_after_deallocate(string members) => Verify.VerifyAsync(Sources.Caller(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_harmless_uses_or_live_pointers(string members) => Verify.VerifyAsync(Sources.Caller(members));
}
