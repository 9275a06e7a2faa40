using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>MEM2005: a field protected by a lock in one place and not, or by another lock, in another.</summary>
public sealed class InconsistentLockingTests
{
    private const string Gate = "private readonly object _gate = new(); ";
    private const string TwoLocks = "private readonly object _a = new(); private readonly object _b = new(); ";

    public static TheoryData<string> Reports => new()
    {
        Gate + "private int _n; public void Set(int v) { lock (_gate) _n = v; } public int Get() => {|MEM2005:_n|};",
        TwoLocks + "private int _n; public void Set(int v) { lock (_a) _n = v; } public void Set2(int v) { lock (_a) _n = v + 1; } public void Reset() { lock (_b) {|MEM2005:_n = 0|}; }",
        Gate + "private object? _o; public void Set() { lock (_gate) _o = new object(); } public object? Get() => {|MEM2005:_o|};",
        Gate + "private long _total; public void Add(long v) { lock (_gate) _total += v; } private long Read() => {|MEM2005:_total|}; public long Total => Read();",
        TwoLocks + "private readonly List<int> _l = new(); public void A(int i) { lock (_a) _l.Add(i); } public void B(int i) { lock (_a) _l.Remove(i); } public int C() { lock (_b) return {|MEM2005:_l|}.Count; }",
        Gate + "private int _n; public void Inc() { lock (_gate) _n++; } public bool IsZero() => {|MEM2005:_n|} == 0;",
        TwoLocks + "private int _n; public void Inc() { lock (_a) _n++; } public void Dec() { lock (_a) _n--; } public void Flip(bool b) { var g = _a; if (b) g = _b; lock (g) {|MEM2005:_n = 0|}; }",
        TwoLocks + "private int _n; public void Inc() { lock (_a) _n++; } public void Dec() { lock (_a) _n--; } public void Reset() { var g = _b; lock (g) {|MEM2005:_n = 0|}; }",
        // a property that chooses between locks is not either of them
        TwoLocks + "private bool _useB; private object Gate => _useB ? _b : _a; private int _n; public void Inc() { lock (_a) _n++; } public void Dec() { lock (_a) _n--; } public void Reset() { lock (Gate) {|MEM2005:_n = 0|}; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        Gate + "private int _n; public void Set(int v) { lock (_gate) _n = v; } public int Get() { lock (_gate) return _n; }",
        Gate + "private object? _inst; public object Get() { if (_inst is null) { lock (_gate) { _inst ??= new object(); } } return _inst; }",
        Gate + "private volatile bool _closed; public void Close() { lock (_gate) _closed = true; } public bool IsClosed => _closed;",
        Gate + "private int _cap; public S() { _cap = 4; } public int A() { lock (_gate) return _cap; } public int B() => _cap;",
        Gate + "private long _n; public void Inc() => Interlocked.Increment(ref _n); public long Get() { lock (_gate) return Interlocked.Read(ref _n); }",
        Gate + "private int _s; public void Set(int v) { lock (_gate) _s = v; } public int Get() => Volatile.Read(ref _s);",
        Gate + "private int _n; public void Inc() { var g = _gate; lock (g) { _n++; } } public void Dec() { lock (_gate) { _n--; } }",
        Gate + "private int _n; public void Inc() { object g; g = _gate; Monitor.Enter(g); try { _n++; } finally { Monitor.Exit(g); } } public void Dec() { lock (_gate) { _n--; } }",
        // a property that returns the lock field is the field
        Gate + "private object Gate => _gate; private int _n; public void Inc() { lock (Gate) { _n++; } } public void Dec() { lock (_gate) { _n--; } }",
        Gate + "private object Gate { get { return this._gate; } } private int _n; public void Inc() { lock (Gate) { _n++; } } public void Dec() { lock (_gate) { _n--; } }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_inconsistent_locking(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_consistent_or_deliberately_lock_free_access(string members) => Verify.VerifyAsync(Sources.Strategy(members));
}
