using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>MEM2006: locks on objects others can lock too, locks that change, SpinLocks that get copied.</summary>
public sealed class LockHygieneTests
{
    public static TheoryData<string> Reports => new()
    {
        "private int _n; public void Hit() { lock ({|MEM2006:this|}) _n++; }",
        "private int _n; public void Hit() { lock ({|MEM2006:typeof(S)|}) _n++; }",
        "private readonly string _name = \"pool\"; private int _n; public void Hit() { lock ({|MEM2006:_name|}) _n++; }",
        "private object _gate = new(); private int _n; public void Hit() { lock ({|MEM2006:_gate|}) _n++; }",
        "private object _g2 = new(); public void Hit() { lock ({|MEM2006:_g2|}) { } } public void Reset() { {|MEM2006:_g2 = new object()|}; }",
        "private readonly SpinLock {|MEM2006:_spin|} = new(false);",
        "private readonly int _id = 1; public void Hit() { Monitor.Enter({|MEM2006:_id|}); Monitor.Exit(_id); }",
        "private int _n; public void Hit() { Monitor.Enter({|MEM2006:this|}); try { _n++; } finally { Monitor.Exit(this); } }",
        // synchronisation objects whose own methods are the lock: `lock` takes their monitor, which those methods ignore
        "private readonly ReaderWriterLockSlim _rw = new(); private int _n; public void Hit() { lock ({|MEM2006:_rw|}) _n++; }",
        "private readonly ReaderWriterLockSlim _rw = new(); private int _n; public void Hit() { Monitor.Enter({|MEM2006:_rw|}); try { _n++; } finally { Monitor.Exit(_rw); } }",
        "private readonly ReaderWriterLock _rw = new(); private int _n; public void Hit() { lock ({|MEM2006:_rw|}) _n++; }",
        "private readonly SemaphoreSlim _gate = new(1, 1); private int _n; public void Hit() { lock ({|MEM2006:_gate|}) _n++; }",
        "private readonly Mutex _mutex = new(); private int _n; public void Hit() { lock ({|MEM2006:_mutex|}) _n++; }",
        "private readonly Semaphore _sem = new(1, 1); private int _n; public void Hit() { lock ({|MEM2006:_sem|}) _n++; }",
        "private readonly ManualResetEventSlim _ready = new(); private int _n; public void Hit() { lock ({|MEM2006:_ready|}) _n++; }",
        "private readonly AutoResetEvent _signal = new(false); private int _n; public void Hit() { lock ({|MEM2006:_signal|}) _n++; }",
        "private ReaderWriterLockSlim _rw = new(); private int _n; public void Hit() { lock ({|MEM2006:_rw|}) _n++; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "private readonly object _gate = new(); private int _n; public void Hit() { lock (_gate) _n++; }",
        "private readonly Lock _lock = new(); private int _n; public void Hit() { lock (_lock) _n++; }",
        "private SpinLock _spin = new(false); private int _n; public void Hit() { bool t = false; _spin.Enter(ref t); _n++; _spin.Exit(); }",
        "private static readonly object s_gate = new(); private static int s_n; public static void Hit() { lock (s_gate) s_n++; }",
        "private readonly object _gate; public S() { _gate = new object(); } private int _n; public void Hit() { lock (_gate) _n++; }",
        "public static void Hit(object other) { lock (other) { } }",
        // a System.Threading.Lock is meant for `lock`: it and EnterScope are the same lock
        "private readonly Lock _lock = new(); private int _n; public void Hit() { lock (_lock) _n++; } public int Get() { using (_lock.EnterScope()) { return _n; } }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_bad_lock_targets(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_private_readonly_locks(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Fact]
    public async Task The_message_names_the_type_and_its_own_methods()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(
            Sources.Strategy("private readonly ReaderWriterLockSlim _rw = new(); private int _n; public void Hit() { lock (_rw) _n++; }"), new ThreadSafetyAnalyzer());
        Assert.Equal(
            "'_rw' is a ReaderWriterLockSlim: lock takes its monitor, which its own methods ignore, so it does not exclude code using them; "
            + "use its own methods (EnterReadLock/EnterWriteLock ... ExitReadLock/ExitWriteLock) instead of lock",
            Assert.Single(diagnostics).GetMessage());
    }
}
