using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// A primary constructor's parameter used in a member (<c>class H(int n) { public int Next() =&gt; n++; }</c>) is
/// captured into a field: it is the object's state, judged like any field.
/// </summary>
public sealed class CapturedParameterTests
{
    public static TheoryData<string, string> Reports => new()
    {
        // a helper held in a field
        { "private readonly Counter _h = new(0); public void Use() => _h.Next();", "public sealed class Counter(int start) { public int Next() => {|MEM2001:start++|}; }" },
        { "private readonly Slot _s = new(null); public void Use(object o) => _s.Set(o);", "public sealed class Slot(object? value) { public void Set(object o) { {|MEM2002:value = o|}; } public object? Get() => value; }" },
        { "private readonly Bag _b = new(new List<int>()); public void Use() => _b.Put(1);", "public sealed class Bag(List<int> items) { public void Put(int x) => {|MEM2004:items|}.Add(x); }" },
        // one path under the helper's lock, one without
        { "private readonly Counter _h = new(0); public void A() => _h.Next(); public int B() => _h.Peek();", "public sealed class Counter(int n) { private readonly object _gate = new(); public int Next() { lock (_gate) { return n++; } } public int Peek() => {|MEM2005:n|}; }" },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // used only to initialise fields: not captured, run at construction
        { "private readonly Counter _h = new(4); public int Use() => _h.Size;", "public sealed class Counter(int size) { public int Size { get; } = size; }" },
        // captured, only read
        { "private readonly Counter _h = new(4); public int Use() => _h.Twice();", "public sealed class Counter(int size) { public int Twice() => size * 2; }" },
        // captured, written under the helper's own lock
        { "private readonly Counter _h = new(0); public int Use() => _h.Next();", "public sealed class Counter(int n) { private readonly object _gate = new(); public int Next() { lock (_gate) { return n++; } } }" },
        // a helper of the caller's own
        { "public int Use() { var h = new Counter(0); return h.Next(); }", "public sealed class Counter(int start) { public int Next() => start++; }" },
        // an ordinary constructor's parameter is no state
        { "private readonly Counter _h = new(0); public int Use() => _h.Next();", "public sealed class Counter { private readonly int _n; public Counter(int n) { n++; _n = n; } public int Next() => _n + 1; }" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_captured_parameters_like_fields(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_uncaptured_or_protected_parameters(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
