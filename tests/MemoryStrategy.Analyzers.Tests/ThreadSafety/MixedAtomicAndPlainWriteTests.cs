using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>MEM2007: a field updated with Interlocked in one place and written plainly in another.</summary>
public sealed class MixedAtomicAndPlainWriteTests
{
    public static TheoryData<string> Reports => new()
    {
        "private int _state; public void Acquire() => Interlocked.CompareExchange(ref _state, 1, 0); public void Release() { {|MEM2007:_state = 0|}; }",
        "private readonly object _gate = new(); private long _n; public void Inc() => Interlocked.Increment(ref _n); public void Reset() { lock (_gate) {|MEM2007:_n = 0|}; }",
        "private int _n; public void Inc() => Interlocked.Increment(ref _n); public void Dec() { {|MEM2007:_n--|}; }",
        "private int _n; public void Inc() => Interlocked.Add(ref _n, 2); public void Double() { {|MEM2007:_n = _n * 2|}; }",
        "private object? _o; public void Swap(object v) => Interlocked.Exchange(ref _o, v); public void Clear() { {|MEM2007:_o = null|}; }",
        "private int _s; private void Reset() { {|MEM2007:_s = 0|}; } public void Run() { Interlocked.Increment(ref _s); Reset(); }",
        "private System.Collections.Immutable.ImmutableList<int> _l = System.Collections.Immutable.ImmutableList<int>.Empty; public void Add(int v) => System.Collections.Immutable.ImmutableInterlocked.Update(ref _l, l => l.Add(v)); public void Clear() { {|MEM2007:_l = System.Collections.Immutable.ImmutableList<int>.Empty|}; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "private int _state; public bool Acquire() => Interlocked.CompareExchange(ref _state, 1, 0) == 0; public void Release() => Volatile.Write(ref _state, 0);",
        "private int _n; public S() { _n = 5; } public void Inc() => Interlocked.Increment(ref _n);",
        "private int _n; public void Inc() => Interlocked.Increment(ref _n); public void Reset() => Interlocked.Exchange(ref _n, 0);",
        "private long _n; public void Add(long v) => Interlocked.Add(ref _n, v); public long Get() => Interlocked.Read(ref _n);",
        "private int _n; public void Inc() => Interlocked.Increment(ref _n); public int Get() => Volatile.Read(ref _n);",
        "private int _n; public void Inc() => Interlocked.Increment(ref _n); public int Peek() => _n;",
        // both under the same lock: the store cannot overwrite an update it excludes
        "private readonly object _gate = new(); private List<int>? _pending; public void Add(int v) { lock (_gate) (_pending ??= new List<int>()).Add(v); } public List<int>? Take() { lock (_gate) return Interlocked.Exchange(ref _pending, null); }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_plain_writes_to_interlocked_fields(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_consistently_atomic_fields(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Fact]
    public Task Cleanup_may_reset_an_interlocked_field() => Verify.VerifyAsync(Sources.StrategyBody("""
            private int _n;
            [Allocate] private void* A(nuint size) { Interlocked.Increment(ref _n); return null; }
            [Deallocate] private void D(void* p) { }
            [Cleanup] private void C() { _n = 0; }
        """));
}
