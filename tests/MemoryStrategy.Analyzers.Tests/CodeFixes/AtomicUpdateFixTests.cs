using System.Reflection;
using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = CodeFixVerifier<ThreadSafetyAnalyzer, AtomicUpdateFix>;

/// <summary>
/// The provider registered for MEM2001 and MEM2007: one Fix All pass makes every update atomic, whatever its
/// shape, and no other provider claims either id (dotnet format applies one provider per id and run).
/// </summary>
public sealed class AtomicUpdateFixTests
{
    private const string Before =
        "private long _state; private int _i; private long _count; "
        + "public void Acq() { Interlocked.Exchange(ref _state, 1); {|MEM2001:_i++|}; } "
        + "public void Rel() { {|MEM2007:_state -= 1|}; } "
        + "public void Rel2() { {|MEM2001:_i++|}; } "
        + "public void Hit() => Interlocked.Increment(ref _count); "
        + "public long Drain() { long n = _count; {|MEM2007:_count = 0|}; return n; }";

    private const string After =
        "private long _state; private int _i; private long _count; "
        + "public void Acq() { Interlocked.Exchange(ref _state, 1); Interlocked.Increment(ref _i); } "
        + "public void Rel() { Interlocked.Add(ref _state, -(1)); } "
        + "public void Rel2() { Interlocked.Increment(ref _i); } "
        + "public void Hit() => Interlocked.Increment(ref _count); "
        + "public long Drain() { long n = Interlocked.Exchange(ref _count, 0); return n; }";

    [Fact]
    public Task Fix_all_makes_every_shape_atomic_in_one_pass() => Verify.VerifyAsync(Sources.Strategy(Before), Sources.Strategy(After));

    [Fact]
    public Task Offers_nothing_for_a_reset_that_follows_no_read() => Verify.VerifyAsync(
        Sources.Strategy("private long _count; public void Hit() => Interlocked.Increment(ref _count); public void Clear() { {|MEM2007:_count = 0|}; }"),
        Sources.Strategy("private long _count; public void Hit() => Interlocked.Increment(ref _count); public void Clear() { {|MEM2007:_count = 0|}; }"),
        iterations: 0);

    [Fact]
    public void Is_the_only_exported_provider_for_its_ids()
    {
        var claims = typeof(AtomicUpdateFix).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .SelectMany(p => p.FixableDiagnosticIds.Select(id => (Id: id, Provider: p.GetType().Name)))
            .ToList();

        Assert.All(claims.GroupBy(c => c.Id), g => Assert.Single(g));
        Assert.Contains(("MEM2001", nameof(AtomicUpdateFix)), claims);
        Assert.Contains(("MEM2007", nameof(AtomicUpdateFix)), claims);
    }
}
