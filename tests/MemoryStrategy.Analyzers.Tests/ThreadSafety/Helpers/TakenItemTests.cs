using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// Items taken out of a thread-safe collection (<c>ConcurrentBag.TryTake</c>, <c>ConcurrentQueue.TryDequeue</c>,
/// <c>ConcurrentStack.TryPop</c>, <c>BlockingCollection.Take</c>, a channel reader's <c>TryRead</c> and
/// <c>ReadAsync</c>) belong to the taker: the collection hands each item to one taker. An item only looked at
/// (<c>TryPeek</c>, a dictionary's <c>TryGetValue</c>), or put back, is still shared.
/// </summary>
public sealed class TakenItemTests
{
    private const string Buffer = "public sealed class Buffer { public int Used; }";
    private const string Bag = "private readonly ConcurrentBag<Buffer> _bag = new(); ";
    private const string Queue = "private readonly ConcurrentQueue<Buffer> _queue = new(); ";
    private const string Stack = "private readonly ConcurrentStack<Buffer> _spare = new(); ";
    private const string Blocking = "private readonly BlockingCollection<Buffer> _blocking = new(); ";
    private const string Channel = "private readonly System.Threading.Channels.Channel<Buffer> _channel = System.Threading.Channels.Channel.CreateUnbounded<Buffer>(); ";

    // await cannot appear in the strategy's unsafe part: the async members go in a second, safe part of S.
    private static string Async(string members) => Buffer + " public sealed partial class S { " + members + " }";

    public static TheoryData<string, string> Quiet => new()
    {
        { Bag + "public void Use() { if (_bag.TryTake(out Buffer? b)) { b.Used++; } }", Buffer },
        { Bag + "public void Use() { Buffer c = _bag.TryTake(out Buffer? t) ? t : new Buffer(); c.Used++; }", Buffer },
        { Stack + "public void Use() { if (!_spare.TryPop(out Buffer? b)) b = new Buffer(); b.Used = 3; b.Used++; }", Buffer },
        { Queue + "public void Use() { while (_queue.TryDequeue(out var b)) { b.Used++; } }", Buffer },
        { Queue + "public void Use() { Buffer? b; if (_queue.TryDequeue(out b)) { b.Used++; } }", Buffer },
        { Blocking + "public void Use() { var b = _blocking.Take(); b.Used++; }", Buffer },
        { Blocking + "public void Use() { foreach (Buffer b in _blocking.GetConsumingEnumerable()) { b.Used++; } }", Buffer },
        { Channel + "public void Use() { if (_channel.Reader.TryRead(out var b)) { b.Used++; } }", Buffer },
        { Channel, Async("public async Task Use() { Buffer b = await _channel.Reader.ReadAsync(); b.Used++; }") },
        { Channel, Async("public async Task Use() { await foreach (Buffer b in _channel.Reader.ReadAllAsync()) { b.Used++; } }") },
    };

    public static TheoryData<string, string> Reports => new()
    {
        // looked at, not taken: another thread can take it, or look at it too
        { Bag + "public void Use() { if (_bag.TryPeek(out Buffer? b)) { {|MEM2001:b.Used++|}; } }", Buffer },
        { Queue + "public void Use() { if (_queue.TryPeek(out var b)) { {|MEM2001:b.Used++|}; } }", Buffer },
        { "private readonly ConcurrentDictionary<int, Buffer> _map = new(); public void Use(int k) { if (_map.TryGetValue(k, out var b)) { {|MEM2001:b.Used++|}; } }", Buffer },
        // removed from a dictionary: another thread may still hold it from a lookup
        { "private readonly ConcurrentDictionary<int, Buffer> _map = new(); public void Use(int k) { if (_map.TryRemove(k, out var b)) { {|MEM2001:b.Used++|}; } }", Buffer },
        // put back, then used: another thread can take it from there
        { Queue + "public void Use() { if (_queue.TryDequeue(out var b)) { _queue.Enqueue(b); {|MEM2001:b.Used++|}; } }", Buffer },
        // enumerating a concurrent collection does not take its items
        { Queue + "public void Use() { foreach (Buffer b in _queue) { {|MEM2001:b.Used++|}; } }", Buffer },
    };

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_items_taken_from_a_thread_safe_collection(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_items_still_shared(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
