using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>MEM2002: plain stores to shared fields outside a lock.</summary>
public sealed class UnsynchronizedWriteTests
{
    public static TheoryData<string> Reports => new()
    {
        "private int _last; public void Set(int v) { {|MEM2002:_last = v|}; }",
        "private readonly int[] _slots = new int[4]; public void Put(int i) { {|MEM2002:_slots[i] = 1|}; }",
        "private struct Slot { public nint Head; } private readonly Slot[] _slots = new Slot[4]; public void Put() { ref Slot s = ref _slots[1]; {|MEM2002:s.Head = 5|}; }",
        "private int _x; public void Fill() => Init({|MEM2002:ref _x|}); private static void Init(ref int v) => v = 1;",
        "private object? _o; public void Reset() { {|MEM2002:_o = null|}; }",
        "private static int s_x; public static void Set() { {|MEM2002:s_x = 3|}; }",
        "private int _p; private void Store() { {|MEM2002:_p = 1|}; } public void Run() => Store();",
        "private readonly Timer _t; private int _ticks; public S() { _t = new Timer(_ => {|MEM2002:_ticks = 0|}); }",
        "private int _v; public void Parse(string s) => int.TryParse(s, {|MEM2002:out _v|});",
        "private volatile int[] _table = new int[2]; public void Put() { {|MEM2002:_table[0] = 1|}; }",
        "private int _flag; public void Start() => ThreadPool.QueueUserWorkItem(_ => {|MEM2002:_flag = 1|});",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "private volatile bool _disposed; public void Stop() { _disposed = true; }",
        "private struct Slot { public nint Head; } private readonly object _gate = new(); private readonly Slot[] _slots = new Slot[4]; public void Put() { lock (_gate) { ref Slot s = ref _slots[1]; s.Head = 5; } }",
        "private int _x; public void Set(int v) => Volatile.Write(ref _x, v);",
        "private int _x; public void Set(int v) => Interlocked.Exchange(ref _x, v);",
        "private readonly object _gate = new(); private int _x; public void Set(int v) { lock (_gate) _x = v; }",
        "private int _x; public S(int v) { _x = v; }",
        "private readonly ConcurrentDictionary<int, int> _map = new(); public void Put(int k) => _map[k] = 1;",
        "private readonly ThreadLocal<int> _local = new(); public void Set(int v) => _local.Value = v;",
        "private static object? s_instance; private static readonly object s_gate = new(); public static object Instance { get { if (s_instance is null) { lock (s_gate) { if (s_instance is null) s_instance = new object(); } } return s_instance; } }",
        "private int _x; private void Init() => _x = 1; public S() => Init();",
        "public int[] Snapshot() { var copy = new int[8]; copy[0] = 1; return copy; }",
        "private object? _lazy; public object Get() => LazyInitializer.EnsureInitialized(ref _lazy, () => new object());",
        "private readonly object _gate = new(); private int _x; public void Set(int v) { lock (_gate) { Store(v); } } private void Store(int v) => _x = v;",
        // an object initialiser writes the new object, a with expression its clone: both the caller's own
        "private sealed class Request { public int Size; public long Stamp; } public object Make(int n) => new Request { Size = n, Stamp = 1 };",
        "private sealed record Cfg(int Limit, int Count); private Cfg _cfg = new(1, 0); public void Raise() { Cfg old = Volatile.Read(ref _cfg); Interlocked.CompareExchange(ref _cfg, old with { Count = old.Count + 1 }, old); }",
        "private sealed record Cfg(int Limit, int Count); private Cfg _cfg = new(1, 0); public void Limit(int n) { Cfg old, next; do { old = Volatile.Read(ref _cfg); next = old with { Limit = n }; } while (Interlocked.CompareExchange(ref _cfg, next, old) != old); }",
        // ImmutableInterlocked's members are compare-and-swap loops on the field they are given
        ImmutableSet + "public void Add(int v) => System.Collections.Immutable.ImmutableInterlocked.Update(ref _set, s => s.Add(v));",
        ImmutableMap + "public bool Put(int k) => System.Collections.Immutable.ImmutableInterlocked.TryAdd(ref _map, k, 1);",
        ImmutableMap + "public bool Take(int k) => System.Collections.Immutable.ImmutableInterlocked.TryRemove(ref _map, k, out _);",
    };

    private const string ImmutableSet = "private System.Collections.Immutable.ImmutableHashSet<int> _set = System.Collections.Immutable.ImmutableHashSet<int>.Empty; ";
    private const string ImmutableMap = "private System.Collections.Immutable.ImmutableDictionary<int, int> _map = System.Collections.Immutable.ImmutableDictionary<int, int>.Empty; ";

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_unsynchronized_plain_writes(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_synchronized_atomic_or_construction_writes(string members) => Verify.VerifyAsync(Sources.Strategy(members));
}
