using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// Idioms that used to hide races: a field used as its own lock object (only the lock operand is exempt), and a
/// local copy of a field (it counts as the field, Interlocked/Volatile through it included).
/// </summary>
public sealed class RaceIdiomTests
{
    public static TheoryData<string> Reports => new()
    {
        // a collection used as its own lock, touched outside it
        "private readonly Stack<int> _pool = new(); public int Take() { lock (_pool) { return _pool.Pop(); } } public void Put(int x) => {|MEM2004:_pool|}.Push(x);",
        // ... and under a second lock
        "private readonly object _other = new(); private readonly Stack<int> _pool = new(); public int Take() { lock (_pool) { return _pool.Pop(); } } public int Peek() { lock (_pool) { return _pool.Peek(); } } public void Put(int x) { lock (_other) { {|MEM2005:_pool|}.Push(x); } }",
        // a local copy of an array field
        "private readonly int[] _items = new int[8]; public void Put(int i, int x) { var items = _items; {|MEM2002:items[i] = x|}; }",
        "private readonly int[] _items = new int[8]; public void Put(int i) { var items = _items; {|MEM2001:items[i]++|}; }",
        // Interlocked through the copy is atomic; a plain store elsewhere is then mixed
        "private readonly int[] _items = new int[8]; public void Hit(int i) { var items = _items; Interlocked.Increment(ref items[i]); } public void Clear(int i) { {|MEM2007:_items[i] = 0|}; }",
        // a local copy of a collection field
        "private readonly List<int> _list = new(); public void Put(int x) { var list = _list; {|MEM2004:list|}.Add(x); }",
        // a ref local to a field
        "private int _count; public void Hit() { ref int c = ref _count; {|MEM2001:c++|}; }",
    };

    public static TheoryData<string> Quiet => new()
    {
        "private readonly Stack<int> _pool = new(); public int Take() { lock (_pool) { return _pool.Pop(); } } public void Put(int x) { lock (_pool) { _pool.Push(x); } }",
        "private readonly int[] _items = new int[8]; public void Hit(int i) { var items = _items; Interlocked.Increment(ref items[i]); } public int Get(int i) { var items = _items; return Volatile.Read(ref items[i]); }",
        "private readonly object _gate = new(); private readonly int[] _items = new int[8]; public void Put(int i, int x) { lock (_gate) { var items = _items; items[i] = x; } }",
        "private readonly int[] _items = new int[8]; public int Sum() { var items = _items; int s = 0; for (int i = 0; i < items.Length; i++) s += items[i]; return s; }",
        "public int Local() { var items = new int[4]; items[0] = 1; return items[0]; }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_races_the_idioms_used_to_hide(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_the_idioms_used_correctly(string members) => Verify.VerifyAsync(Sources.Strategy(members));
}
