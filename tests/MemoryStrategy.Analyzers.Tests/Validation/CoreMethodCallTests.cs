using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<CoreMethodCallAnalyzer>;

/// <summary>MEM3001: only the generated wrappers may call the [Allocate]/[Deallocate] cores.</summary>
public sealed class CoreMethodCallTests
{
    public static TheoryData<string> Reports => new()
    {
        "public void* Get(nuint n) => {|MEM3001:AllocateCore(n)|};",
        "public void Put(void* p) { {|MEM3001:DeallocateCore(p)|}; }",
        "public void Cycle() { void* p = {|MEM3001:this.AllocateCore(8)|}; {|MEM3001:DeallocateCore(p)|}; }",
        "public Func<nuint, IntPtr> Factory() => n => (IntPtr){|MEM3001:AllocateCore(n)|};",
        "public delegate*<S, nuint, void*> Pointer() => null; public void Other(S other) { {|MEM3001:other.DeallocateCore(null)|}; }",
        "public static void FromOutside(S s) { void* p = {|MEM3001:s.AllocateCore(16)|}; }",
        // A split core's slow half, from the fast half or anywhere else: the generated code calls it when the fast half declines.
        "[AllocateSlow] private void* AllocateSlowly(nuint n) => null; public void* Get(nuint n) => {|MEM3001:AllocateSlowly(n)|};",
        "[DeallocateSlow] private void FreeSlowly(void* p) { } public void Put(void* p) { {|MEM3001:FreeSlowly(p)|}; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "public bool Check(void* p) => OwnsCore(p);",
        "public string Name => nameof(AllocateCore);",
        "private void* Helper(nuint n) => null; public void* Get(nuint n) => Helper(n);",
        "public static void Use(IMemoryStrategy s) { void* p = s.Allocate(8); s.Deallocate(p); }",
        "public void Local() { void* AllocateCore(nuint n) => null; AllocateCore(1); }",
        "public static void Other(Unrelated u) { u.AllocateCore(1); } public sealed class Unrelated { [Allocate] public void* AllocateCore(nuint size) => null; }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_direct_calls_to_cores(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_other_calls(string members) => Verify.VerifyAsync(Sources.Strategy(members));
}
