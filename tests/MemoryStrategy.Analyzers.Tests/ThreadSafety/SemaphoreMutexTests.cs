using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// A readonly <c>SemaphoreSlim(1, 1)</c> is a mutex: <c>Wait</c> / <c>await WaitAsync</c> ... <c>Release</c> holds it
/// as a lock. A semaphore that can admit more than one thread (a count above one, or <c>new SemaphoreSlim(1)</c>,
/// whose maximum is <c>int.MaxValue</c>) is no lock, nor is one in a field that can be given another semaphore. The
/// field may be reached through a local that only ever holds it, or a get-only property that only returns it: the
/// same semaphore, so the same lock.
/// </summary>
public sealed class SemaphoreMutexTests
{
    private const string Mutex = "private readonly SemaphoreSlim _gate = new(1, 1); private int _n; private readonly List<int> _items = new(); ";

    // await cannot appear in the strategy's unsafe part: the async members go in a second, safe part of S.
    private const string AsyncPart = "public sealed partial class S { {0} }";

    public static TheoryData<string, string> Quiet => new()
    {
        { Mutex + "public void Hit() { _gate.Wait(); try { _n++; _items.Add(1); } finally { _gate.Release(); } }", string.Empty },
        { Mutex, Async("public async Task Hit() { await _gate.WaitAsync(); try { _n++; _items.Add(1); } finally { _gate.Release(); } }") },
        { Mutex, Async("public async Task Hit(CancellationToken token) { await _gate.WaitAsync(token).ConfigureAwait(false); try { _n++; } finally { _gate.Release(); } }") },
        // Wait(timeout) and WaitAsync(timeout) say whether the semaphore was taken
        { Mutex + "public void Hit() { if (!_gate.Wait(10)) return; try { _n++; } finally { _gate.Release(); } }", string.Empty },
        { Mutex, Async("public async Task Hit() { if (await _gate.WaitAsync(10)) { try { _n++; } finally { _gate.Release(); } } }") },
        // created by the only constructor, arguments named
        { "private readonly SemaphoreSlim _gate; private int _n; public S() { _gate = new SemaphoreSlim(initialCount: 1, maxCount: 1); } public void Hit() { _gate.Wait(); try { _n++; } finally { _gate.Release(); } }", string.Empty },
        // through a local that only ever holds the field
        { Mutex + "public void Hit() { var gate = _gate; gate.Wait(); try { _n++; _items.Add(1); } finally { gate.Release(); } }", string.Empty },
        { Mutex, Async("public async Task Hit() { SemaphoreSlim gate = this._gate; await gate.WaitAsync().ConfigureAwait(false); try { _n++; } finally { gate.Release(); } }") },
        { Mutex + "public void Hit() { var gate = _gate; if (!gate.Wait(10)) return; try { _n++; } finally { gate.Release(); } }", string.Empty },
        // through a get-only property that returns the field (expression-bodied, or a getter with one return)
        { Mutex + "private SemaphoreSlim Gate => _gate; public void Hit() { Gate.Wait(); try { _n++; _items.Add(1); } finally { Gate.Release(); } }", string.Empty },
        { Mutex + "private SemaphoreSlim Gate { get { return _gate; } } public void Hit() { Gate.Wait(); try { _n++; } finally { Gate.Release(); } }", string.Empty },
        // the field, its alias and its property are one lock: taken one way here, another way there
        { Mutex + "private SemaphoreSlim Gate => _gate; public void A() { Gate.Wait(); try { _n++; } finally { Gate.Release(); } } public void B() { var g = _gate; g.Wait(); try { _n--; } finally { g.Release(); } } public void C() { _gate.Wait(); try { _n = 0; } finally { _gate.Release(); } }", string.Empty },
    };

    public static TheoryData<string, string> Reports => new()
    {
        // after the finally that releases it, the semaphore is no longer held
        { Mutex + "public void Hit() { _gate.Wait(); try { _items.Add(1); } finally { _gate.Release(); } {|MEM2001:_n++|}; }", string.Empty },
        { Mutex, Async("public async Task Hit() { await _gate.WaitAsync(); try { } finally { _gate.Release(); } {|MEM2004:_items|}.Add(1); }") },
        // a count above one admits several threads at once
        { "private readonly SemaphoreSlim _gate = new(2, 2); private int _n; public void Hit() { _gate.Wait(); try { {|MEM2001:_n++|}; } finally { _gate.Release(); } }", string.Empty },
        // no maximum: one Release too many and two threads are in
        { "private readonly SemaphoreSlim _gate = new(1); private int _n; public void Hit() { _gate.Wait(); try { {|MEM2001:_n++|}; } finally { _gate.Release(); } }", string.Empty },
        // not readonly, or given a wider semaphore by a constructor: the field may hold one that is no mutex
        { "private SemaphoreSlim _gate = new(1, 1); private int _n; public void Hit() { _gate.Wait(); try { {|MEM2001:_n++|}; } finally { _gate.Release(); } }", string.Empty },
        { "private readonly SemaphoreSlim _gate = new(1, 1); private int _n; public S(int width) { _gate = new(width, width); } public void Hit() { _gate.Wait(); try { {|MEM2001:_n++|}; } finally { _gate.Release(); } }", string.Empty },
        // released through the alias: what follows is outside the lock
        { Mutex + "public void Hit() { var gate = _gate; gate.Wait(); try { _items.Add(1); } finally { gate.Release(); } {|MEM2001:_n++|}; }", string.Empty },
        // a local that may hold another semaphore, one that can admit two threads
        { Mutex + "private readonly SemaphoreSlim _wide = new(2, 2); public void Hit(bool b) { var gate = _gate; if (b) gate = _wide; gate.Wait(); try { {|MEM2001:_n++|}; } finally { gate.Release(); } }", string.Empty },
        // an alias or a property of a semaphore that is no mutex
        { "private readonly SemaphoreSlim _gate = new(1); private int _n; public void Hit() { var gate = _gate; gate.Wait(); try { {|MEM2001:_n++|}; } finally { gate.Release(); } }", string.Empty },
        { "private readonly SemaphoreSlim _gate = new(2, 2); private SemaphoreSlim Gate => _gate; private int _n; public void Hit() { Gate.Wait(); try { {|MEM2001:_n++|}; } finally { Gate.Release(); } }", string.Empty },
        // a property that can be given another semaphore is not the field
        { "private SemaphoreSlim Gate { get; set; } = new(1, 1); private int _n; public void Hit() { Gate.Wait(); try { {|MEM2001:_n++|}; } finally { Gate.Release(); } }", string.Empty },
        // lock (_gate) takes the semaphore's monitor, which Wait ... Release does not exclude
        { Mutex + "public void A() { lock ({|MEM2006:_gate|}) { _n++; } } public void B() { _gate.Wait(); try { {|MEM2005:_n--|}; } finally { _gate.Release(); } }", string.Empty },
    };

    private static string Async(string members) => AsyncPart.Replace("{0}", members);

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_state_guarded_by_a_mutex_semaphore(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_state_a_semaphore_does_not_guard(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
