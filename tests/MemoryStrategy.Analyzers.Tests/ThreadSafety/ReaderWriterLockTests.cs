using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// A <c>ReaderWriterLockSlim</c> is one lock held in three modes: a read under its read lock is ordered with every
/// change under its write lock (no MEM2004/MEM2005 "outside a lock"), while a change holding only its read lock runs
/// beside the other readers, and one holding its upgradeable read lock beside the readers holding the read lock: those
/// are reported (MEM2001, MEM2002, MEM2004), saying which lock lets the other threads in.
/// </summary>
public sealed class ReaderWriterLockTests
{
    private const string Rw = "private readonly ReaderWriterLockSlim _rw = new(); private int _n; private readonly List<int> _items = new(); ";
    private const string Writer = "public void Set(int v) { _rw.EnterWriteLock(); try { _n = v; _items.Add(v); } finally { _rw.ExitWriteLock(); } } ";
    private const string Counter = "public sealed class Counter { private int _n; public void Hit() { _n++; } public int Get() => _n; }";

    public static TheoryData<string, string> Quiet => new()
    {
        // reads under the read lock, changes under the write lock
        { Rw + Writer + "public int Get() { _rw.EnterReadLock(); try { return _n + _items.Count; } finally { _rw.ExitReadLock(); } }", string.Empty },
        { Rw + Writer + "public bool Has(int v) { _rw.EnterReadLock(); try { foreach (int i in _items) { if (i == v) return true; } return false; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // TryEnterReadLock, as the condition of the block or as a guard
        { Rw + Writer + "public int Get() { if (_rw.TryEnterReadLock(10)) { try { return _n; } finally { _rw.ExitReadLock(); } } return -1; }", string.Empty },
        { Rw + Writer + "public int Get() { if (!_rw.TryEnterReadLock(TimeSpan.FromMilliseconds(10))) return -1; try { return _items.Count; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // TryEnterWriteLock is the write lock
        { Rw + "public void Set(int v) { if (!_rw.TryEnterWriteLock(10)) return; try { _n = v; } finally { _rw.ExitWriteLock(); } } public int Get() { _rw.EnterReadLock(); try { return _n; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // upgradeable, then write: the change holds the write lock
        { Rw + "public void Up(int v) { _rw.EnterUpgradeableReadLock(); try { if (_n != v) { _rw.EnterWriteLock(); try { _n = v; _items.Add(v); } finally { _rw.ExitWriteLock(); } } } finally { _rw.ExitUpgradeableReadLock(); } } "
            + "public int Get() { _rw.EnterReadLock(); try { return _n + _items.Count; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // a helper read under the read lock and changed under the write lock
        { Rw + "private readonly Counter _c = new(); public void A() { _rw.EnterWriteLock(); try { _c.Hit(); } finally { _rw.ExitWriteLock(); } } public int B() { _rw.EnterReadLock(); try { return _c.Get(); } finally { _rw.ExitReadLock(); } }", Counter },
        // an atomic update needs no exclusive lock
        { Rw + "private long _hits; public void Hit() { _rw.EnterReadLock(); try { Interlocked.Increment(ref _hits); } finally { _rw.ExitReadLock(); } }", string.Empty },
        // [GuardedBy] the reader-writer lock: reads may hold its read lock
        { "private readonly ReaderWriterLockSlim _rw = new(); [GuardedBy(\"_rw\")] private int _n; public void Set(int v) { _rw.EnterWriteLock(); try { _n = v; } finally { _rw.ExitWriteLock(); } } public int Get() { _rw.EnterReadLock(); try { return _n; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // the upgradeable read lock alone keeps other writers out when no reader holds the read lock
        { Rw + "public void Up(int v) { _rw.EnterUpgradeableReadLock(); try { _n = v; } finally { _rw.ExitUpgradeableReadLock(); } } public int Get() { _rw.EnterUpgradeableReadLock(); try { return _n; } finally { _rw.ExitUpgradeableReadLock(); } }", string.Empty },
    };

    public static TheoryData<string, string> Reports => new()
    {
        // a change holding only the read lock: other readers run beside it, the same code on another thread included
        { Rw + Writer + "public void Bad(int v) { _rw.EnterReadLock(); try { {|MEM2002:_n = v|}; } finally { _rw.ExitReadLock(); } }", string.Empty },
        { Rw + "public void Bad() { _rw.EnterReadLock(); try { {|MEM2001:_n++|}; } finally { _rw.ExitReadLock(); } }", string.Empty },
        { Rw + Writer + "public void Bad(int v) { if (_rw.TryEnterReadLock(10)) { try { {|MEM2004:_items|}.Add(v); } finally { _rw.ExitReadLock(); } } }", string.Empty },
        { Rw + "public void Bad(int v) { _rw.EnterReadLock(); try { {|MEM2001:Volatile.Write(ref _n, Volatile.Read(ref _n) + v)|}; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // a helper reached under the write lock here and the read lock there runs under the read lock
        { Rw + "private readonly Counter _c = new(); public void A() { _rw.EnterWriteLock(); try { _c.Hit(); } finally { _rw.ExitWriteLock(); } } public void B() { _rw.EnterReadLock(); try { _c.Hit(); } finally { _rw.ExitReadLock(); } }", Counter.Replace("{ _n++; }", "{ {|MEM2001:_n++|}; }") },
        // the upgradeable read lock does not keep out the readers holding the read lock
        { Rw + "public void Up(int v) { _rw.EnterUpgradeableReadLock(); try { {|MEM2002:_n = v|}; } finally { _rw.ExitUpgradeableReadLock(); } } public int Get() { _rw.EnterReadLock(); try { return _n; } finally { _rw.ExitReadLock(); } }", string.Empty },
        { Rw + "public void Up(int v) { _rw.EnterUpgradeableReadLock(); try { {|MEM2004:_items|}.Add(v); } finally { _rw.ExitUpgradeableReadLock(); } } public int Count() { _rw.EnterReadLock(); try { return _items.Count; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // after the write lock is released, the upgradeable holder holds the upgradeable read lock alone
        { Rw + "public void Up(int v) { _rw.EnterUpgradeableReadLock(); try { _rw.EnterWriteLock(); try { _n = v; } finally { _rw.ExitWriteLock(); } {|MEM2002:_n = -v|}; } finally { _rw.ExitUpgradeableReadLock(); } } public int Get() { _rw.EnterReadLock(); try { return _n; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // a read under the read lock of one lock, changes under another: they exclude nothing of each other
        { Rw + "private readonly object _gate = new(); public void Set(int v) { lock (_gate) { _n = v; } } public int Get() { _rw.EnterReadLock(); try { return {|MEM2005:_n|}; } finally { _rw.ExitReadLock(); } }", string.Empty },
        // a read outside any lock still races the writer
        { Rw + Writer + "public int Get() => {|MEM2005:_n|};", string.Empty },
        // swap-then-drain needs a lock that keeps other swappers out
        { "private readonly ReaderWriterLockSlim _rw = new(); private List<int> _pending = new(); public void Add(int v) { _rw.EnterWriteLock(); try { _pending.Add(v); } finally { _rw.ExitWriteLock(); } } "
            + "public void Drain() { List<int> batch; _rw.EnterReadLock(); try { batch = _pending; {|MEM2002:_pending = new()|}; } finally { _rw.ExitReadLock(); } {|MEM2004:batch|}.Clear(); }", string.Empty },
        // lock (_rw) takes the object's monitor, which neither its read nor its write lock excludes
        { Rw + "public void Set(int v) { lock ({|MEM2006:_rw|}) { _n = v; } } public int Get() { _rw.EnterReadLock(); try { return {|MEM2005:_n|}; } finally { _rw.ExitReadLock(); } }", string.Empty },
        { Rw + Writer + "public int Get() { lock ({|MEM2006:_rw|}) { return {|MEM2005:_n|}; } }", string.Empty },
        { Rw + Writer + "public int Get() { Monitor.Enter({|MEM2006:_rw|}); try { return {|MEM2005:_n|}; } finally { Monitor.Exit(_rw); } }", string.Empty },
        { "private readonly ReaderWriterLockSlim _rw = new(); [GuardedBy(nameof(_rw))] private int _n; public void Set(int v) { lock ({|MEM2006:_rw|}) { {|MEM2003:_n|} = v; } }", string.Empty },
    };

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_reads_under_the_read_lock(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_changes_a_sharing_mode_does_not_protect(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [InlineData(
        "public void Bad(int v) { _rw.EnterReadLock(); try { _n = v; } finally { _rw.ExitReadLock(); } }",
        "Plain write to shared field '_n' holding only the read lock of '_rw', which other readers hold at the same time; take its write lock")]
    [InlineData(
        "public void Bad() { _rw.EnterReadLock(); try { _n++; } finally { _rw.ExitReadLock(); } }",
        "Non-atomic read-modify-write of '_n' holding only the read lock of '_rw', which other readers hold at the same time: concurrent calls can lose updates; take its write lock")]
    [InlineData(
        "public void Bad(int v) { _rw.EnterReadLock(); try { _items.Add(v); } finally { _rw.ExitReadLock(); } }",
        "'_items' is a List<>, which is not thread-safe; it is changed here holding only the read lock of '_rw', which other readers hold at the same time: change it under its write lock")]
    [InlineData(
        "public void Up(int v) { _rw.EnterUpgradeableReadLock(); try { _n = v; } finally { _rw.ExitUpgradeableReadLock(); } } public int Get() { _rw.EnterReadLock(); try { return _n; } finally { _rw.ExitReadLock(); } }",
        "Plain write to shared field '_n' holding the upgradeable read lock of '_rw', which does not keep out readers holding its read lock; take its write lock")]
    public async Task Message_says_the_lock_lets_other_readers_in(string members, string message)
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(Sources.Strategy(Rw + members), new ThreadSafetyAnalyzer());
        Diagnostic finding = Assert.Single(diagnostics);
        Assert.Equal(message, finding.GetMessage());
    }

    [Fact]
    public async Task Message_tells_the_monitor_from_the_lock()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(Sources.Strategy(Rw + Writer + "public int Get() { lock (_rw) { return _n; } }"), new ThreadSafetyAnalyzer());
        Assert.Contains("'_n' is accessed under 'lock (_rw)' here but under '_rw' elsewhere", diagnostics.Select(d => d.GetMessage()));
    }

    [Fact]
    public async Task Message_outside_a_lock_is_unchanged()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(Sources.Strategy("private int _n; public void Hit() { _n++; } public void Set() { _n = 1; }"), new ThreadSafetyAnalyzer());
        Assert.Equal(
            ["Non-atomic read-modify-write of '_n' outside a lock: concurrent calls can lose updates", "Plain write to shared field '_n' outside a lock; use a lock, Volatile.Write or Interlocked"],
            diagnostics.Select(d => d.GetMessage()).Order());
    }
}
