using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// Races in helper objects the strategy reaches: held in fields, in arrays, nested, structs by reference, several
/// levels deep; judged with the locks of every call path, and reported at the access in the helper.
/// </summary>
public sealed class HelperReachTests
{
    private const string SizeClass = "public sealed class SizeClass { public int Top; public void Take() { {|MEM2001:Top++|}; } }";
    private const string SizeClassQuiet = "public sealed class SizeClass { public int Top; public void Take() { Top++; } }";

    public static TheoryData<string, string> Reports => new()
    {
        // a helper held in a field
        { "private readonly SizeClass _c = new(); public void Use() => _c.Take();", SizeClass },
        // an array of helpers
        { "private readonly SizeClass[] _classes = { new() }; public void Use(int i) => _classes[i].Take();", SizeClass },
        // a local copy of the field, and a getter returning it
        { "private readonly SizeClass _c = new(); public void Use() { var c = _c; c.Take(); }", SizeClass },
        { "private readonly SizeClass _c = new(); private SizeClass Current => _c; public void Use() => Current.Take();", SizeClass },
        // handed to a static helper as an argument
        { "private readonly SizeClass _c = new(); public void Use() => Bump(_c); private static void Bump(SizeClass c) => {|MEM2001:c.Top++|};", "public sealed class SizeClass { public int Top; }" },
        // the helper's field written from the strategy
        { "private readonly SizeClass _c = new(); public void Use() { {|MEM2001:_c.Top++|}; }", "public sealed class SizeClass { public int Top; }" },
        // three levels deep: strategy -> arena -> chunk
        { "private readonly Arena _arena = new(); public void Use(int n) => _arena.Grab(n);",
          "public sealed class Arena { private readonly Chunk _chunk = new(); public void Grab(int n) => _chunk.Take(n); } public sealed class Chunk { private int _used; public void Take(int n) { {|MEM2001:_used += n|}; } }" },
        // a struct reached by reference: a field, and a ref local to an array element
        { "private Counter _counter; public void Use() => _counter.Bump();", "public struct Counter { public int Value; public void Bump() { {|MEM2001:Value++|}; } }" },
        { "private readonly Counter[] _counters = new Counter[4]; public void Use(int i) { ref Counter c = ref _counters[i]; c.Bump(); }", "public struct Counter { public int Value; public void Bump() { {|MEM2001:Value++|}; } }" },
        // a readonly struct field whose copy still shares a list: the list is written
        { "private readonly Bag _bag = new(new List<int>()); public void Use() => _bag.Put(1);", "public struct Bag { private readonly List<int> _items; public Bag(List<int> items) { _items = items; } public void Put(int x) => {|MEM2004:_items|}.Add(x); }" },
        // one path under the lock, one without: the unlocked path is a finding
        { "private readonly object _gate = new(); private readonly SizeClass _c = new(); public void A() { lock (_gate) { _c.Take(); } } public void B() => _c.Take();", SizeClass },
        // plain store, collection, guarded field and mixed atomic updates in a helper
        { "private readonly Slot _s = new(); public void Use(object o) => _s.Set(o);", "public sealed class Slot { private object? _o; public void Set(object o) { {|MEM2002:_o = o|}; } }" },
        { "private readonly Bag _b = new(); public void Use(int x) => _b.Put(x);", "public sealed class Bag { private readonly List<int> _items = new(); public void Put(int x) => {|MEM2004:_items|}.Add(x); }" },
        { "private readonly Guarded _g = new(); public void Use() => _g.Touch();", "public sealed class Guarded { private readonly object _lock = new(); [GuardedBy(\"_lock\")] private int _n; public void Touch() { {|MEM2003:_n|} = 1; } }" },
        { "private readonly Stats _st = new(); public void Use() => _st.Hit(); public void Clear() => _st.Reset();", "public sealed class Stats { private long _hits; public void Hit() => Interlocked.Increment(ref _hits); public void Reset() { {|MEM2007:_hits = 0|}; } }" },
        { "private readonly Table _t = new(); public void A() => _t.Locked(); public void B() => _t.Unlocked();", "public sealed class Table { private readonly object _lock = new(); private int _n; public void Locked() { lock (_lock) { _n++; } } public int Unlocked() => {|MEM2005:_n|}; }" },
        // an auto-property of a helper is a field
        { "private readonly Box _b = new(); public void Use() { {|MEM2001:_b.Count++|}; }", "public sealed class Box { public int Count { get; set; } }" },
        // a lambda in a helper handed to the thread pool runs concurrently with the caller
        { "private readonly Pump _p = new(); public S() { _p.Start(); }", "public sealed class Pump { private int _n; public void Start() => ThreadPool.QueueUserWorkItem(_ => {|MEM2001:_n++|}); }" },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // the lock at every call site protects the helper's writes
        { "private readonly object _gate = new(); private readonly SizeClass _c = new(); public void Use() { lock (_gate) { _c.Take(); } }", SizeClassQuiet },
        // the helper's own lock
        { "private readonly SizeClass _c = new(); public void Use() => _c.Take();", "public sealed class SizeClass { private readonly object _classLock = new(); public int Top; public void Take() { lock (_classLock) { Top++; } } }" },
        // lock on the helper itself at the call site, lock (this) inside it: the same lock
        { "private readonly Counter2 _c = new(); public void A() { lock (_c) { _c.Bump(); } } public void B() => _c.Locked();", "public sealed class Counter2 { private int _n; public void Bump() => _n++; public void Locked() { lock ({|MEM2006:this|}) { _n++; } } }" },
        // an immutable helper: every field readonly
        { "private readonly Config _cfg = new(8); public int Use() => _cfg.Size * 2;", "public sealed class Config { private readonly int _size; public Config(int size) => _size = size; public int Size => _size; }" },
        // only reached from the constructor and [Cleanup]
        { "private readonly SizeClass _c = new(); public S() { _c.Take(); } [Cleanup] private void Clean() => _c.Take();", SizeClassQuiet },
        // a helper unreachable from the strategy is not analyzed
        { "public void Use() { }", SizeClassQuiet },
        // another strategy held in a field: thread-safe by contract
        { "private readonly Inner _inner = new(); public void* Use(nuint n) => _inner.Allocate(n);",
          "public sealed unsafe class Inner : IMemoryStrategy { private int _n; public void* Allocate(nuint size) { _n++; return null; } public void Deallocate(void* ptr) { } public StrategyStatus GetStatus() => StrategyStatus.Ready; public bool Validate() => true; public bool Owns(void* ptr) => false; public nuint MaxAllocationSize => 1; public StatusTracker StatusTracker => null!; public void Dispose() { } }" },
        // a mutating member of a struct in a readonly field runs on a defensive copy: nothing shared is written
        { "private readonly Counter _counter; public void Use() => _counter.Bump();", "public struct Counter { public int Value; public void Bump() { Value++; } }" },
        // Interlocked in a helper
        { "private readonly Stats _st = new(); public void Use() => _st.Hit();", "public sealed class Stats { private long _hits; public void Hit() => Interlocked.Increment(ref _hits); }" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_races_in_helper_objects(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_protected_or_unshared_helpers(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Fact]
    public async Task Message_says_how_the_helper_is_reached()
    {
        string source = HelperSources.With("private readonly SizeClass _c = new(); public void Allocate2() => _c.Take();", "public sealed class SizeClass { public int Top; public void Take() { Top++; } }");
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(source, new ThreadSafetyAnalyzer());
        Diagnostic finding = Assert.Single(diagnostics);
        Assert.Equal("MEM2001", finding.Id);
        Assert.EndsWith("(reached from `S.Allocate2` via `SizeClass.Take`)", finding.GetMessage());
    }
}
