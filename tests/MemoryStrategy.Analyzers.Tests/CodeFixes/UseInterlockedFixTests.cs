using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = CodeFixVerifier<ThreadSafetyAnalyzer, UseInterlockedFix>;

/// <summary>
/// The MEM2001 fix: ++, --, += and -= on int/long fields become Interlocked calls. Each operator appears both as a
/// statement and as a value, prefix and postfix, so swapping Increment for Decrement anywhere, or the +1/-1 that
/// gives a postfix its old value, fails a row.
/// </summary>
public sealed class UseInterlockedFixTests
{
    [Theory]
    [InlineData("private int _n; public void M() { {|MEM2001:_n++|}; }", "private int _n; public void M() { Interlocked.Increment(ref _n); }")]
    [InlineData("private int _n; public void M() { {|MEM2001:--_n|}; }", "private int _n; public void M() { Interlocked.Decrement(ref _n); }")]
    [InlineData("private long _n; public void M(long v) { {|MEM2001:_n += v|}; }", "private long _n; public void M(long v) { Interlocked.Add(ref _n, v); }")]
    [InlineData("private long _n; public void M(long v) { {|MEM2001:_n -= v|}; }", "private long _n; public void M(long v) { Interlocked.Add(ref _n, -(v)); }")]
    [InlineData("private int _n; public int M() => {|MEM2001:_n++|};", "private int _n; public int M() => (Interlocked.Increment(ref _n) - 1);")]
    [InlineData("private int _n; public int M() => {|MEM2001:++_n|};", "private int _n; public int M() => Interlocked.Increment(ref _n);")]
    [InlineData("private long _n; public void M() { {|MEM2001:++_n|}; }", "private long _n; public void M() { Interlocked.Increment(ref _n); }")]
    [InlineData("private int _n; public void M() { {|MEM2001:_n--|}; }", "private int _n; public void M() { Interlocked.Decrement(ref _n); }")]
    [InlineData("private int _n; public int M() => {|MEM2001:_n--|};", "private int _n; public int M() => (Interlocked.Decrement(ref _n) + 1);")]
    [InlineData("private int _n; public int M() => {|MEM2001:--_n|};", "private int _n; public int M() => Interlocked.Decrement(ref _n);")]
    [InlineData("private long _n; public long M(long v) => {|MEM2001:_n += v|};", "private long _n; public long M(long v) => Interlocked.Add(ref _n, v);")]
    [InlineData("private long _n; public long M(long v) => {|MEM2001:_n -= v|};", "private long _n; public long M(long v) => Interlocked.Add(ref _n, -(v));")]
    [InlineData("private readonly int[] _c = new int[2]; public void M(int i) { {|MEM2001:_c[i]++|}; }", "private readonly int[] _c = new int[2]; public void M(int i) { Interlocked.Increment(ref _c[i]); }")]
    public Task Rewrites_the_update(string before, string after) => Verify.VerifyAsync(Sources.Strategy(before), Sources.Strategy(after));

    [Fact]
    public Task Fix_all_rewrites_every_update_in_the_strategy() => Verify.VerifyAsync(
        Sources.Strategy("private int _a; private long _b; public void M(long v) { {|MEM2001:_a++|}; {|MEM2001:_b += v|}; } public void N() { {|MEM2001:_a--|}; }"),
        Sources.Strategy("private int _a; private long _b; public void M(long v) { Interlocked.Increment(ref _a); Interlocked.Add(ref _b, v); } public void N() { Interlocked.Decrement(ref _a); }"));

    [Fact]
    public Task Adds_the_using_directive_when_missing() => Verify.VerifyAsync(
        "using MemoryStrategy;\n[MemoryStrategy(TrackAllocations = true)]\npublic unsafe partial class S\n{\n    [Allocate] private void* A(nuint size) => null;\n    [Deallocate] private void D(void* p) { }\n    private int _n;\n    public void M() { {|MEM2001:_n++|}; }\n}\n",
        "using MemoryStrategy;\nusing System.Threading;\n\n[MemoryStrategy(TrackAllocations = true)]\npublic unsafe partial class S\n{\n    [Allocate] private void* A(nuint size) => null;\n    [Deallocate] private void D(void* p) { }\n    private int _n;\n    public void M() { Interlocked.Increment(ref _n); }\n}\n");

    [Fact]
    public Task Offers_nothing_for_types_interlocked_cannot_update() => Verify.VerifyAsync(
        Sources.Strategy("private double _d; public void M() { {|MEM2001:_d += 1.5|}; }"),
        Sources.Strategy("private double _d; public void M() { {|MEM2001:_d += 1.5|}; }"),
        iterations: 0);
}
