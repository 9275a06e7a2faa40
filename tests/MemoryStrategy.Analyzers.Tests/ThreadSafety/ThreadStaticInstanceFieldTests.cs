using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadStaticInstanceFieldAnalyzer>;

/// <summary>MEM2008: the runtime ignores [ThreadStatic] on instance fields.</summary>
public sealed class ThreadStaticInstanceFieldTests
{
    public static TheoryData<string> Reports => new()
    {
        "[ThreadStatic] private int {|MEM2008:_cache|};",
        "[ThreadStatic] private object? {|MEM2008:_last|};",
        "[ThreadStatic] internal nuint {|MEM2008:_free|};",
        "[ThreadStatic] private int[]? {|MEM2008:_slots|};",
        "[ThreadStatic] private volatile int {|MEM2008:_hint|};",
        "[ThreadStatic] private int {|MEM2008:_a|}, {|MEM2008:_b|};",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "[ThreadStatic] private static int _cache;",
        "[ThreadStatic] private static object? _last;",
        "private static readonly ThreadLocal<int> Local = new();",
        "private int _plain;",
        "[BenignRace(\"statistic\")] private int _hits;",
        "[ThreadStatic] private static int[]? _slots;",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_thread_static_instance_fields(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_static_or_unmarked_fields(string members) => Verify.VerifyAsync(Sources.Strategy(members));
}
