using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>MEM2001: read-modify-writes that lose updates when two threads run them at once.</summary>
public sealed class NonAtomicReadModifyWriteTests
{
    public static TheoryData<string> Reports => new()
    {
        "private int _count; public void Hit() { {|MEM2001:_count++|}; }",
        "private long _bytes; public void Add(long n) { {|MEM2001:_bytes += n|}; }",
        "private object? _cache; public object Get() => {|MEM2001:_cache ??= new object()|};",
        "private int _n; public void Twice() { {|MEM2001:_n = _n * 2|}; }",
        "private volatile int _v; public void Bump() { {|MEM2001:_v++|}; }",
        "private int _state; public void Flip() { int s = Volatile.Read(ref _state); {|MEM2001:Volatile.Write(ref _state, s + 1)|}; }",
        "private int _state; public void Flip() { {|MEM2001:Volatile.Write(ref _state, Volatile.Read(ref _state) + 1)|}; }",
        "private int _state; public void Flip() { {|MEM2001:Volatile.Write(ref _state, _state * 2)|}; }",
        "private readonly int[] _slots = new int[4]; public void Inc(int i) { {|MEM2001:_slots[i]++|}; }",
        "private int _c; private void Count() { {|MEM2001:_c--|}; } public void Run() => Count();",
        "private static int s_total; public static void Count() { {|MEM2001:s_total++|}; }",
        "private readonly object _gate = new(); private int _n; public void Later() { lock (_gate) { Task.Run(() => {|MEM2001:_n++|}); } }",
        "private (int Hits, int Misses) _stats; public void Miss() { {|MEM2001:_stats.Misses++|}; }",
        "private struct Stats { public long Bytes; } private Stats _stats; public void Add(long n) { ref Stats s = ref _stats; {|MEM2001:s.Bytes += n|}; }",
    };

    public static TheoryData<string> ReportsInCores => new()
    {
        "private nint _offset; [Allocate] private void* A(nuint size) { {|MEM2001:_offset += (nint)size|}; return null; } [Deallocate] private void D(void* p) { }",
        "private int _live; [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { {|MEM2001:_live--|}; }",
        "private int _checks; [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Validate] private bool V() { {|MEM2001:_checks++|}; return true; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "private int _count; public void Hit() => Interlocked.Increment(ref _count);",
        "private struct Stats { public long Bytes; } private readonly object _gate = new(); private Stats _stats; public void Add(long n) { lock (_gate) { ref Stats s = ref _stats; s.Bytes += n; } }",
        "private readonly object _gate = new(); private int _state; public void Flip() { lock (_gate) { Volatile.Write(ref _state, Volatile.Read(ref _state) + 1); } }",
        "private int _state; private int _other; public void Copy() => Volatile.Write(ref _state, Volatile.Read(ref _other) + 1);",
        "private readonly object _gate = new(); private int _count; public void Hit() { lock (_gate) { _count++; } }",
        "private int _count; public S() { _count++; }",
        "private readonly object _gate = new(); private int _count; private void Bump() => _count++; public void Hit() { lock (_gate) { Bump(); } }",
        "[BenignRace(\"approximate statistic\")] private int _hits; public void Hit() => _hits++;",
        "[ThreadStatic] private static int t_local; public void Hit() => t_local++;",
        "public int Sum(int n) { int total = 0; for (int i = 0; i < n; i++) total += i; return total; }",
        "private readonly Lock _lock = new(); private int _n; public void Hit() { using (_lock.EnterScope()) { _n++; } }",
        "private readonly Lock _lock = new(); private int _n; public void Hit() { using var scope = _lock.EnterScope(); _n++; }",
        "private readonly Lock _lock = new(); private int _n; public void Hit() { lock (_lock) { _n++; } }",
        "private readonly object _gate = new(); private int _n; public void Hit() { Monitor.Enter(_gate); try { _n++; } finally { Monitor.Exit(_gate); } }",
        "private readonly object _gate = new(); private int _n; public void Hit() { bool taken = false; try { Monitor.Enter(_gate, ref taken); _n++; } finally { if (taken) Monitor.Exit(_gate); } }",
        "private SpinLock _spin = new(false); private int _n; public void Hit() { bool taken = false; try { _spin.Enter(ref taken); _n++; } finally { if (taken) _spin.Exit(); } }",
        "private readonly Lock _lock = new(); private int _n; public void Hit() { _lock.Enter(); try { _n++; } finally { _lock.Exit(); } }",
        "private readonly object _gate = new(); private int _n; public void Hit(List<int> items) { lock (_gate) { items.ForEach(i => _n += i); } }",
        "private readonly object _gate = new(); private int _n; public void Hit() { lock (_gate) { Add(); } void Add() => _n++; }",
        "private readonly object _gate = new(); private int _n; public void Hit() { if (!Monitor.TryEnter(_gate)) return; try { _n++; } finally { Monitor.Exit(_gate); } }",
        "private readonly Lock _lock = new(); private int _n; public void Hit() { if (_lock.TryEnter()) { try { _n++; } finally { _lock.Exit(); } } }",
        "private int _n; public S Clone() { var copy = new S(); copy._n++; return copy; }",
        "private int _n; public S() { Init(); } private void Init() { _n++; }",
        "private int _n; private void Unused() { _n++; }",
        "private readonly ConcurrentDictionary<int, int> _counts = new(); public void Hit(int k) => _counts.AddOrUpdate(k, 1, (_, v) => v + 1);",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_unsynchronized_read_modify_write(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(ReportsInCores))]
    public Task Reports_read_modify_write_in_marker_methods(string members) => Verify.VerifyAsync(Sources.StrategyBody(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_synchronized_or_exempt_updates(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Fact]
    public async Task A_ref_local_to_a_struct_field_is_reported_once_as_the_field()
    {
        string source = Sources.Strategy("private struct Stats { public long Bytes; } private Stats _stats; public void Add(long n) { ref Stats s = ref _stats; s.Bytes += n; }");
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(source, new ThreadSafetyAnalyzer());
        Assert.Contains("'_stats'", Assert.Single(diagnostics).GetMessage());
    }

    [Fact]
    public Task Cleanup_runs_after_serving_stopped_and_is_exempt() => Verify.VerifyAsync(Sources.StrategyBody("""
            private int _n;
            [Allocate] private void* A(nuint size) => null;
            [Deallocate] private void D(void* p) { }
            [Cleanup] private void C() { _n++; }
        """));
}
