using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// Swap-then-drain: a local given a field's collection under a lock, the field then given a new collection under the
/// same lock, owns the old one; using it outside the lock is no use of the field. Any weaker shape (no swap, the read
/// or the swap outside the lock, the local used or stored between them, a swap that keeps the old object reachable)
/// leaves the local standing for the field.
/// </summary>
public sealed class SwapThenDrainTests
{
    private const string Pending = "private readonly object _gate = new(); private List<Buffer> _pending = new(); public void Add(Buffer b) { lock (_gate) { _pending.Add(b); } } ";
    private const string Buffer = "public sealed class Buffer { public int Used; }";

    public static TheoryData<string, string> Quiet => new()
    {
        { Pending + "public void Drain() { List<Buffer> batch; lock (_gate) { batch = _pending; _pending = new(); } foreach (Buffer b in batch) { b.Used++; } batch.Clear(); }", Buffer },
        { Pending + "public int Drain() { List<Buffer> batch; lock (_gate) { if (_pending.Count == 0) return 0; batch = _pending; _pending = new List<Buffer>(batch.Count); } batch.Sort((x, y) => x.Used - y.Used); return batch.Count; }", Buffer },
        { Pending + "public void Drain() { List<Buffer>? batch = null; lock (_gate) { batch = _pending; _pending = []; } batch.RemoveAll(b => b.Used == 0); }", Buffer },
        // Monitor.Enter ... Exit in try/finally is the same lock block
        { Pending + "public void Drain() { List<Buffer> batch; Monitor.Enter(_gate); try { batch = _pending; _pending = new(); } finally { Monitor.Exit(_gate); } batch.Clear(); }", Buffer },
        // a helper object, not a collection, swapped out: its fields are the drainer's
        { "private readonly object _gate = new(); private Buffer _current = new(); public void Use() { lock (_gate) { _current.Used++; } } public int Retire() { Buffer old; lock (_gate) { old = _current; _current = new Buffer(); } old.Used = -1; return old.Used; }", Buffer },
    };

    public static TheoryData<string, string> Reports => new()
    {
        // no swap: the local is the field's collection, which Add changes under the lock
        { Pending + "public void Drain() { List<Buffer> batch; lock (_gate) { batch = _pending; } {|MEM2004:batch|}.Clear(); }", Buffer },
        // the read outside the lock: another drainer may have swapped that collection out already
        { Pending + "public void Drain() { List<Buffer> batch = _pending; lock (_gate) { _pending = new(); } {|MEM2004:batch|}.Clear(); }", Buffer },
        // the swap outside the lock
        { Pending + "public void Drain() { List<Buffer> batch; lock (_gate) { batch = _pending; } {|MEM2002:_pending = new()|}; {|MEM2004:batch|}.Clear(); }", Buffer },
        // the new collection is not new: the old one stays reachable through another field
        { Pending + "private List<Buffer> _spare = new(); public void Drain() { List<Buffer> batch; lock (_gate) { batch = _pending; _pending = _spare; } {|MEM2004:batch|}.Clear(); }", Buffer },
        // the local is stored elsewhere before the swap: it is not the only way to the old collection
        { Pending + "private List<Buffer>? _last; public void Drain() { List<Buffer> batch; lock (_gate) { batch = _pending; _last = batch; _pending = new(); } {|MEM2004:batch|}.Clear(); }", Buffer },
        // a different field swapped
        { Pending + "private List<Buffer> _other = new(); public void Drain() { List<Buffer> batch; lock (_gate) { batch = _pending; _other = new(); } {|MEM2004:batch|}.Clear(); }", Buffer },
    };

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_a_collection_swapped_out_under_the_lock(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_a_local_that_still_stands_for_the_field(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
