using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// Swap-then-drain: a local given a field's collection under a lock, the field then given a new collection under the
/// same lock, owns the old one; using it outside the lock is no use of the field. Any weaker shape (no swap, the read
/// or the swap outside the lock, the local used or stored between them, a swap that keeps the old object reachable)
/// leaves the local standing for the field. <c>batch = Interlocked.Exchange(ref _pending, new())</c> is the read and
/// the swap in one atomic step: the local owns the old object when the exchange holds an exclusive lock (the field's
/// other users must hold it too), or when the field is lock-free (every other use an <c>Interlocked</c> or
/// <c>Volatile</c> call); otherwise the local still stands for the field.
/// </summary>
public sealed class SwapThenDrainTests
{
    private const string Pending = "private readonly object _gate = new(); private List<Buffer> _pending = new(); public void Add(Buffer b) { lock (_gate) { _pending.Add(b); } } ";
    private const string Buffer = "public sealed class Buffer { public int Used; }";
    private const string Node = "public sealed class Node(int value) { public int Value = value; public Node? Next; }";
    private const string LockFreePush = "private Node? _head; public void Push(int v) { var n = new Node(v); do { n.Next = Volatile.Read(ref _head); } while (Interlocked.CompareExchange(ref _head, n, n.Next) != n.Next); } ";

    public static TheoryData<string, string> Quiet => new()
    {
        { Pending + "public void Drain() { List<Buffer> batch; lock (_gate) { batch = _pending; _pending = new(); } foreach (Buffer b in batch) { b.Used++; } batch.Clear(); }", Buffer },
        { Pending + "public int Drain() { List<Buffer> batch; lock (_gate) { if (_pending.Count == 0) return 0; batch = _pending; _pending = new List<Buffer>(batch.Count); } batch.Sort((x, y) => x.Used - y.Used); return batch.Count; }", Buffer },
        { Pending + "public void Drain() { List<Buffer>? batch = null; lock (_gate) { batch = _pending; _pending = []; } batch.RemoveAll(b => b.Used == 0); }", Buffer },
        // Monitor.Enter ... Exit in try/finally is the same lock block
        { Pending + "public void Drain() { List<Buffer> batch; Monitor.Enter(_gate); try { batch = _pending; _pending = new(); } finally { Monitor.Exit(_gate); } batch.Clear(); }", Buffer },
        // a helper object, not a collection, swapped out: its fields are the drainer's
        { "private readonly object _gate = new(); private Buffer _current = new(); public void Use() { lock (_gate) { _current.Used++; } } public int Retire() { Buffer old; lock (_gate) { old = _current; _current = new Buffer(); } old.Used = -1; return old.Used; }", Buffer },
        // exchanged out under the lock its other users hold, drained outside it
        { Pending + "public void Drain() { List<Buffer> batch; lock (_gate) { batch = Interlocked.Exchange(ref _pending, new List<Buffer>()); } foreach (Buffer b in batch) { b.Used++; } batch.Clear(); }", Buffer },
        { Pending + "public int Drain() { Monitor.Enter(_gate); List<Buffer> batch; try { batch = Interlocked.Exchange(ref _pending, []); } finally { Monitor.Exit(_gate); } batch.RemoveAll(b => b.Used == 0); return batch.Count; }", Buffer },
        { "private readonly object _gate = new(); private Buffer _current = new(); public void Use() { lock (_gate) { _current.Used++; } } public int Retire() { Buffer old; lock (_gate) { old = Interlocked.Exchange(ref _current, new Buffer()); } old.Used = -1; return old.Used; }", Buffer },
        // a lock-free field: pushed by compare-and-swap, drained by exchange; the nodes are the drainer's
        { LockFreePush + "public int Drain() { Node? n = Interlocked.Exchange(ref _head, null); int sum = 0; while (n != null) { sum += n.Value; n.Value = 0; n = n.Next; } return sum; }", Node },
        { "private Buffer? _current = new(); public int Retire() { Buffer? old = Interlocked.Exchange(ref _current, new Buffer()); if (old is null) return 0; old.Used = -1; return old.Used; }", Buffer },
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
        // exchanged outside the lock its users hold: one of them may be adding to the old list while it is drained
        { Pending + "public void Drain() { var batch = Interlocked.Exchange(ref _pending, new List<Buffer>()); {|MEM2004:batch|}.Clear(); }", Buffer },
        { "private readonly object _gate = new(); private Buffer _current = new(); public void Use() { lock (_gate) { _current.Used++; } } public void Retire() { Buffer old = Interlocked.Exchange(ref _current, new Buffer()); {|MEM2002:old.Used = -1|}; }", Buffer },
        // exchanged under another lock than its users'
        { Pending + "private readonly object _other = new(); public void Drain() { List<Buffer> batch; lock (_other) { batch = {|MEM2005:Interlocked.Exchange(ref _pending, new())|}; } batch.Clear(); }", Buffer },
        // exchanged under the lock, but read outside it: the reader may hold the old list while it is drained
        { "private readonly object _gate = new(); private List<Buffer> _pending = new() { new Buffer() }; public int Count => {|MEM2004:_pending|}.Count; public void Drain() { List<Buffer> batch; lock (_gate) { batch = Interlocked.Exchange(ref _pending, new()); } batch.Clear(); }", Buffer },
        // the new object is not new
        { Pending + "private readonly List<Buffer> _spare = new(); public void Drain() { List<Buffer> batch; lock (_gate) { batch = Interlocked.Exchange(ref _pending, _spare); } {|MEM2004:batch|}.Clear(); }", Buffer },
        // a compare-and-swap reader that uses the node it read: the field is not lock-free, the drained nodes stay shared
        { LockFreePush + "public int Peek() => _head?.Value ?? 0; public void Drain() { Node? n = Interlocked.Exchange(ref _head, null); while (n != null) { {|MEM2002:n.Value = 0|}; n = n.Next; } }", Node },
        // a local read atomically out of the field is still the field's collection
        { Pending + "public void Steal(Buffer b) { var list = Volatile.Read(ref _pending); {|MEM2004:list|}.Add(b); }", Buffer },
    };

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_a_collection_swapped_out_under_the_lock(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_a_local_that_still_stands_for_the_field(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
