using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// Ownership and thread confinement: objects reached through a [ThreadStatic] static, ThreadLocal&lt;T&gt;.Value,
/// StrategyThread.State, or created by the method and not published, are the calling thread's own; storing one
/// into a shared field, array or collection publishes it.
/// </summary>
public sealed class ConfinementTests
{
    private const string Cache = "public sealed class Cache { public int Count; public int[] Items = new int[8]; public void Push(int x) { Items[Count] = x; Count++; } }";
    private const string CountingThread = "public sealed class CountingThread : StrategyThread { public int Hits; }";
    private const string CacheRacy = "public sealed class Cache { public int Count; public int[] Items = new int[8]; public void Push(int x) { {|MEM2002:Items[Count] = x|}; {|MEM2001:Count++|}; } }";

    public static TheoryData<string, string> Quiet => new()
    {
        { "[ThreadStatic] private static Cache? t_cache; public void Use(int x) => (t_cache ??= new Cache()).Push(x);", Cache },
        { "[ThreadStatic] private static Cache? t_cache; public void Use(int x) { var c = t_cache; if (c is null) { c = new Cache(); t_cache = c; } c.Push(x); }", Cache },
        { "private readonly ThreadLocal<Cache> _local = new(() => new Cache()); public void Use(int x) => _local.Value!.Push(x);", Cache },
        { "public void Use(StrategyThread thread, int x) { if (thread.State is not Cache c) { c = new Cache(); thread.State = c; } c.Push(x); }", Cache },
        { "public void Use(StrategyThread thread, int x) { var c = thread.State as Cache; c?.Push(x); }", Cache },
        // a strategy's own StrategyThread type (StatusTracker.SetThreadFactory): the core's thread and CurrentThread are the caller's
        { "public void Use(StrategyThread thread) { if (thread is CountingThread t) { t.Hits++; } }", CountingThread },
        { "private readonly StatusTracker _tracker = new(\"t\"); public void Use() { var t = (CountingThread)_tracker.CurrentThread; t.Hits++; }", CountingThread },
        { "private readonly StatusTrackerHandle _tracker = new(new StatusTracker(\"t\")); public void Use() { var t = (CountingThread)_tracker.CurrentThread; t.Hits++; }", CountingThread },
        { "public int Use(int x) { var c = new Cache(); c.Push(x); c.Count++; return c.Count; }", Cache },
        { "public int Use(int x) { var c = Cache2.Create(); c.Push(x); return c.Count; }", Cache + " public static class Cache2 { public static Cache Create() => new Cache(); }" },
        // initialised before it is published: the writes before the store are the thread's own
        { "private readonly object _gate = new(); private readonly List<Cache> _all = new(); public void Use(int x) { var c = new Cache(); c.Push(x); lock (_gate) { _all.Add(c); } }", Cache },
        // a struct copied into a local is a copy
        { "private Counter _counter; public int Use() { var copy = _counter; copy.Value++; return copy.Value; }", "public struct Counter { public int Value; }" },
    };

    public static TheoryData<string, string> Reports => new()
    {
        // published to a shared field, then used
        { "private Cache? _shared; public void Use(int x) { var c = new Cache(); {|MEM2002:_shared = c|}; c.Push(x); }", CacheRacy },
        // published to a shared collection, then used
        { "private readonly ConcurrentBag<Cache> _all = new(); public void Use(int x) { var c = new Cache(); _all.Add(c); c.Push(x); }", CacheRacy },
        // published to a shared array slot, then used
        { "private readonly Cache[] _slots = new Cache[4]; public void Use(int x) { var c = new Cache(); Volatile.Write(ref _slots[0], c); c.Push(x); }", CacheRacy },
        // another thread's StrategyThread of the strategy's own type, found in a shared array: not the caller's
        { "private readonly CountingThread[] _all = { new() }; public void Use() { {|MEM2001:_all[0].Hits++|}; }", CountingThread },
        // a shared static is not confined
        { "private static readonly Cache s_cache = new(); public void Use(int x) => s_cache.Push(x);", CacheRacy },
    };

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_thread_confined_objects(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_published_or_shared_objects(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
