using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// Locks that are held but exclude nothing of each other: a different lock on each path to one access (MEM2005,
/// not "outside a lock"), and state every instance shares (a static, or an object reached from one) changed under
/// a lock of one instance (MEM2009): two instances of the strategy hold their own locks at the same time.
/// </summary>
public sealed class LockScopeTests
{
    private const string TwoLocks = "private readonly object _a = new(); private readonly object _b = new(); ";
    private const string Gate = "private readonly object _gate = new(); ";
    private const string Counter = "public sealed class Counter { private int _n; public void Hit() { {|#0:_n++|}; } }";
    private const string QuietCounter = "public sealed class Counter { private int _n; public void Hit() { _n++; } }";
    private const string Registry = "public static class Registry { public static readonly Counter Instance = new(); }";

    private static string Expect(string rule) => Counter.Replace("{|#0:", "{|" + rule + ":");

    public static TheoryData<string, string> Reports => new()
    {
        // one helper object, a different lock on each path to it
        { TwoLocks + "private readonly Counter _c = new(); public void A() { lock (_a) { _c.Hit(); } } public void B() { lock (_b) { _c.Hit(); } }", Expect("MEM2005") },
        // ... through a method of the strategy that both paths call
        { TwoLocks + "private readonly Counter _c = new(); public void A() { lock (_a) { Hit(); } } public void B() { lock (_b) { Hit(); } } private void Hit() => _c.Hit();", Expect("MEM2005") },
        // a static helper under two instance locks: the different locks come first
        { TwoLocks + "public void A() { lock (_a) { Registry.Instance.Hit(); } } public void B() { lock (_b) { Registry.Instance.Hit(); } }", Expect("MEM2005") + Registry },
        // a static field under an instance lock
        { Gate + "private static long s_total; public void Add(long n) { lock (_gate) { {|MEM2009:s_total += n|}; } }", string.Empty },
        { Gate + "private static object? s_last; public void Set(object o) { lock (_gate) { {|MEM2009:s_last = o|}; } }", string.Empty },
        { Gate + "private static readonly List<int> s_all = new(); public void Add(int x) { lock (_gate) { {|MEM2009:s_all|}.Add(x); } }", string.Empty },
        { "private readonly Lock _lock = new(); private static int s_n; public void Hit() { using (_lock.EnterScope()) { {|MEM2009:s_n++|}; } }", string.Empty },
        // a helper reached from a static, under one instance lock on every path
        { Gate + "public void A() { lock (_gate) { Registry.Instance.Hit(); } } public void B() { lock (_gate) { Registry.Instance.Hit(); } }", Expect("MEM2009") + Registry },
        // ... handed to a static method as an argument
        { Gate + "public void A() { lock (_gate) { Touch(Registry.Instance); } } private static void Touch(Counter c) => c.Hit();", Expect("MEM2009") + Registry },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // a static lock for static state
        { "private static readonly object s_gate = new(); private static long s_total; public void Add(long n) { lock (s_gate) { s_total += n; } }", string.Empty },
        { "private static readonly object s_gate = new(); public void A() { lock (s_gate) { Registry.Instance.Hit(); } }", QuietCounter + Registry },
        // the shared helper's own lock
        { Gate + "public void A() { lock (_gate) { Registry.Instance.Hit(); } }", "public sealed class Counter { private readonly object _lock = new(); private int _n; public void Hit() { lock (_lock) { _n++; } } } " + Registry },
        // an atomic update needs no lock
        { Gate + "private static long s_total; public void Add(long n) { lock (_gate) { Interlocked.Add(ref s_total, n); } }", string.Empty },
        // a lock common to every path, with another lock on one of them
        { TwoLocks + "private readonly Counter _c = new(); public void A() { lock (_a) { lock (_b) { _c.Hit(); } } } public void B() { lock (_a) { _c.Hit(); } }", QuietCounter },
        // an instance helper under one instance lock
        { Gate + "private readonly Counter _c = new(); public void A() { lock (_gate) { _c.Hit(); } } public void B() { lock (_gate) { _c.Hit(); } }", QuietCounter },
        // a [ThreadStatic] static is each thread's own
        { Gate + "[ThreadStatic] private static int t_n; public void Hit() { lock (_gate) { t_n++; } }", string.Empty },
        // a helper that locks itself, whose methods are named like a collection's: its body says what it changes
        { TwoLocks + "private readonly FreeList _f = new(); public void A() { lock (_a) { _f.Push(1); } } public void B() { lock (_b) { _f.TryPop(out _); } }", SelfLockedFreeList },
        { TwoLocks + "private readonly FreeList _f = new(); public void A() { lock (_a) { _f.Push(1); } } public void B() => _f.Push(2);", SelfLockedFreeList },
    };

    private const string SelfLockedFreeList = "public sealed class FreeList { private readonly object _gate = new(); private readonly Stack<nint> _s = new(); "
        + "public void Push(nint p) { lock (_gate) _s.Push(p); } public bool TryPop(out nint p) { lock (_gate) return _s.TryPop(out p); } }";

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_locks_that_exclude_nothing_of_each_other(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_locks_that_cover_the_state(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Fact]
    public async Task Message_names_the_lock_of_each_path()
    {
        string source = HelperSources.With(TwoLocks + "private readonly Counter _c = new(); public void A() { lock (_a) { _c.Hit(); } } public void B() { lock (_b) { _c.Hit(); } }", QuietCounter);
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(source, new ThreadSafetyAnalyzer());
        Diagnostic finding = Assert.Single(diagnostics);
        Assert.Equal("'_n' is accessed under '_b' here but under '_a' elsewhere (reached from `S.B` via `Counter.Hit`)", finding.GetMessage());
    }
}
