using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = CodeFixVerifier<ThreadSafetyAnalyzer, ReadThenResetFix>;

/// <summary>The MEM2007 read-then-reset fix: <c>n = _count; _count = 0;</c> becomes one <c>Interlocked.Exchange</c>.</summary>
public sealed class ReadThenResetFixTests
{
    private const string Hit = "private long _count; public void Hit() => Interlocked.Increment(ref _count); ";

    [Theory]
    [InlineData(
        Hit + "public long Drain() { long n = _count; {|MEM2007:_count = 0|}; return n; }",
        Hit + "public long Drain() { long n = Interlocked.Exchange(ref _count, 0); return n; }")]
    [InlineData(
        Hit + "public long Drain() { var n = Volatile.Read(ref _count); {|MEM2007:Volatile.Write(ref _count, 0)|}; return n; }",
        Hit + "public long Drain() { var n = Interlocked.Exchange(ref _count, 0); return n; }")]
    [InlineData(
        Hit + "public long Drain() { long n; n = Interlocked.Read(ref _count); {|MEM2007:_count = 0|}; return n; }",
        Hit + "public long Drain() { long n; n = Interlocked.Exchange(ref _count, 0); return n; }")]
    public Task Rewrites_read_then_reset(string before, string after) => Verify.VerifyAsync(Sources.Strategy(before), Sources.Strategy(after));

    [Fact]
    public Task Offers_nothing_when_the_reset_does_not_follow_a_read() => Verify.VerifyAsync(
        Sources.Strategy(Hit + "public void Clear() { {|MEM2007:_count = 0|}; }"),
        Sources.Strategy(Hit + "public void Clear() { {|MEM2007:_count = 0|}; }"),
        iterations: 0);
}
