using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>MEM2004: List, Dictionary and friends changed by concurrent code and used outside a lock.</summary>
public sealed class UnsynchronizedCollectionTests
{
    public static TheoryData<string> Reports => new()
    {
        "private readonly List<int> _items = new(); public void Add(int i) => {|MEM2004:_items|}.Add(i);",
        "private readonly Dictionary<int, int> _map = new(); public void Put(int k) { {|MEM2004:_map|}[k] = 1; }",
        "private readonly Queue<nint> _free = new(); public void Push(nint p) => {|MEM2004:_free|}.Enqueue(p); public int Count => {|MEM2004:_free|}.Count;",
        "private readonly object _gate = new(); private readonly HashSet<nint> _live = new(); public void Track(nint p) { lock (_gate) _live.Add(p); } public bool Has(nint p) => {|MEM2004:_live|}.Contains(p);",
        "private readonly Stack<int> _stack = new(); public int Pop() => {|MEM2004:_stack|}.Pop();",
        "private readonly LinkedList<int> _l = new(); public void Add() => {|MEM2004:_l|}.AddLast(1);",
        "private readonly SortedDictionary<int, nint> _bySize = new(); public void Put(int s, nint p) => {|MEM2004:_bySize|}.Add(s, p);",
        // a reader-writer lock's read lock lets readers run together: a change made holding it races
        ReaderWriter + "public void Add(int i) { _rw.EnterReadLock(); try { {|MEM2004:_items|}.Add(i); } finally { _rw.ExitReadLock(); } }",
    };

    private const string ReaderWriter = "private readonly ReaderWriterLockSlim _rw = new(); private readonly List<int> _items = new(); ";

    public static TheoryData<string> NearMisses => new()
    {
        "private readonly ConcurrentQueue<int> _q = new(); public void Add(int i) => _q.Enqueue(i);",
        "private readonly List<int> _sizes = new() { 16, 32 }; public int First => _sizes[0]; public int Count => _sizes.Count;",
        "private readonly object _gate = new(); private readonly List<int> _items = new(); public void Add(int i) { lock (_gate) _items.Add(i); } public int Count { get { lock (_gate) return _items.Count; } }",
        "public int Sum() { var l = new List<int> { 1 }; l.Add(2); return l.Count; }",
        "private readonly Dictionary<int, int> _m = new(); public S() { _m.Add(1, 2); } public bool Has(int k) => _m.ContainsKey(k);",
        "[BenignRace(\"diagnostics only\")] private readonly List<string> _log = new(); public void Log(string s) => _log.Add(s);",
        // a reader-writer lock's write lock, and its upgradeable read lock, are held by one thread at a time
        ReaderWriter + "public void Add(int i) { _rw.EnterWriteLock(); try { _items.Add(i); } finally { _rw.ExitWriteLock(); } } public void Remove(int i) { _rw.EnterUpgradeableReadLock(); try { _items.Remove(i); } finally { _rw.ExitUpgradeableReadLock(); } }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_collections_used_outside_a_lock(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_safe_collection_use(string members) => Verify.VerifyAsync(Sources.Strategy(members));
}
