using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// A method's own new object handed to a method that stores it where other threads reach it (a field, a static
/// registry, a collection, at any depth, through an interface too) is shared from the call on: what the method does
/// to it afterwards is judged as access to shared state. What it did before the call is still its own.
/// </summary>
public sealed class PublishingCallTests
{
    private const string Node = "public sealed class Node { public int X; }";
    private const string Box = "public sealed class Node { public int X; } public sealed class Box { public Node? Item; public Box() { } public Box(Node n) { Item = n; } } public sealed class Meter { public readonly int Start; public Meter(Node n) { Start = n.X; } }";
    private const string Registry = Node + " public static class Registry { private static readonly ConcurrentBag<Node> s_all = new(); public static void Add(Node n) => s_all.Add(n); public static int Describe(Node n) => n.GetHashCode(); }";

    public static TheoryData<string, string> Reports => new()
    {
        // the strategy's own method stores it in a field
        { "private Node? _last; public void Use() { var n = new Node(); Keep(n); {|MEM2001:n.X++|}; } private void Keep(Node n) => Volatile.Write(ref _last, n);", Node },
        // a static registry of another type
        { "public void Use() { var n = new Node(); Registry.Add(n); {|MEM2001:n.X++|}; }", Registry },
        // two levels down
        { "public void Use() { var n = new Node(); Relay.Pass(n); {|MEM2002:n.X = 1|}; }", Registry + " public static class Relay { public static void Pass(Node n) => Registry.Add(n); }" },
        // the receiver stores itself
        { "public void Use() { var n = new SelfNode(); n.Register(); {|MEM2001:n.X++|}; }", Registry + " public sealed class SelfNode { public int X; private static readonly ConcurrentBag<SelfNode> s_all = new(); public void Register() => s_all.Add(this); }" },
        // a helper held in a field stores it in its own collection, under its own lock
        { "private readonly Book _book = new(); public void Use() { var n = new Node(); _book.Add(n); {|MEM2001:n.X++|}; }", Node + " public sealed class Book { private readonly object _gate = new(); private readonly List<Node> _all = new(); public void Add(Node n) { lock (_gate) { _all.Add(n); } } }" },
        // through an interface, whose implementation stores it
        { "private readonly ISink _sink = new Sink(); public void Use() { var n = new Node(); _sink.Put(n); {|MEM2001:n.X++|}; }", Node + " public interface ISink { void Put(Node n); } public sealed class Sink : ISink { private Node? _last; public void Put(Node n) => Interlocked.Exchange(ref _last, n); }" },
        // stored into a container of the method's own, which is then published: by a member store, an initialiser, a
        // constructor that keeps it, a collection initialiser
        { "private Box? _box; public void Use() { var n = new Node(); var box = new Box(); box.Item = n; Volatile.Write(ref _box, box); {|MEM2001:n.X++|}; }", Box },
        { "private Box? _box; public void Use() { var n = new Node(); var box = new Box { Item = n }; Volatile.Write(ref _box, box); {|MEM2001:n.X++|}; }", Box },
        { "private Box? _box; public void Use() { var n = new Node(); var box = new Box(n); Volatile.Write(ref _box, box); {|MEM2001:n.X++|}; }", Box },
        { "private List<Node>? _all; public void Use() { var n = new Node(); var all = new List<Node> { n }; Volatile.Write(ref _all, all); {|MEM2001:n.X++|}; }", Box },
        // two containers deep, published into a thread-safe collection
        { "private readonly ConcurrentQueue<Box[]> _queue = new(); public void Use() { var n = new Node(); var box = new Box(n); var row = new Box[1]; row[0] = box; _queue.Enqueue(row); {|MEM2001:n.X++|}; }", Box },
        // a callee that stores its parameter's container
        { "private readonly Shelf _shelf = new(); public void Use() { var n = new Node(); _shelf.Keep(n); {|MEM2001:n.X++|}; }", Box + " public sealed class Shelf { private Box? _box; public void Keep(Node n) { var box = new Box(n); Volatile.Write(ref _box, box); } }" },
        // a callee that stores a delegate capturing it
        { "private readonly Jobs _jobs = new(); public void Use() { var n = new Node(); _jobs.Later(n); {|MEM2001:n.X++|}; }", Node + " public sealed class Jobs { private Action? _next; public void Later(Node n) { int step = 1; Volatile.Write(ref _next, () => n.X += step); } }" },
        // handed to another thread as the state of its callback
        { "public void Use() { var n = new Node(); ThreadPool.QueueUserWorkItem(Work, n); {|MEM2001:n.X++|}; } private static void Work(object? state) { }", Node },
        { "public void Use() { var n = new Node(); Task.Factory.StartNew(Work, n); {|MEM2002:n.X = 1|}; } private static void Work(object? state) { }", Node },
        // inside the callee: its parameter is shared from its own store on
        { "private readonly Keeper _keeper = new(); public void Use() => _keeper.Keep(new Node());", Node + " public sealed class Keeper { private Node? _last; public void Keep(Node n) { Volatile.Write(ref _last, n); {|MEM2001:n.X++|}; } }" },
        { "private readonly Keeper _keeper = new(); public void Use() => _keeper.Keep(new Node());", Node + " public sealed class Keeper { private readonly object _gate = new(); private Node? _last; public void Keep(Node n) { lock (_gate) { _last = n; } {|MEM2002:n.X = 2|}; } }" },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // a container never published, or given another object before it is
        { "public int Use() { var n = new Node(); var box = new Box(n); n.X++; return box.GetHashCode(); }", Box },
        { "private Box? _box; public void Use() { var n = new Node(); var box = new Box(n); box = new Box(); Volatile.Write(ref _box, box); n.X++; }", Box },
        // a constructor that only reads what it is handed
        { "private Meter? _meter; public void Use() { var n = new Node(); var m = new Meter(n); Volatile.Write(ref _meter, m); n.X++; }", Box },
        // a delegate that captures only its own locals, stored in a static registry, publishes nothing of the caller's
        { "public int Use() { var n = new Node(); var jobs = new Jobs(); jobs.Later(n); jobs.Count++; n.X++; return n.X; }", Node + " public sealed class Jobs { public int Count; private static readonly ConcurrentBag<Action> s_all = new(); public void Later(Node n) { s_all.Add(() => { var own = new Node(); own.X++; }); } }" },
        // a value handed with the callback is a copy
        { "public int Use() { var n = new Node(); ThreadPool.QueueUserWorkItem(Work, n.X); n.X++; return n.X; } private static void Work(object? state) { }", Node },
        // inside the callee, before its store
        { "private readonly Keeper _keeper = new(); public void Use() => _keeper.Keep(new Node());", Node + " public sealed class Keeper { private Node? _last; public void Keep(Node n) { n.X++; Volatile.Write(ref _last, n); } }" },
        // a struct parameter stored is a copy
        { "private readonly Keeper _keeper = new(); public void Use() => _keeper.Keep(new Pair());", "public struct Pair { public int X; } public sealed class Keeper { private Pair _last; private readonly object _gate = new(); public void Keep(Pair p) { lock (_gate) { _last = p; } p.X++; } }" },
        // a method that only reads what it is handed
        { "public int Use() { var n = new Node(); Registry.Describe(n); n.X++; return n.X; }", Registry },
        // initialised before it is handed over
        { "public void Use() { var n = new Node(); n.X++; Registry.Add(n); }", Registry },
        // stored only in an object the callee makes and keeps to itself
        { "public int Use() { var n = new Node(); Wrap.Around(n); n.X++; return n.X; }", Node + " public sealed class Box { public Node? Item; } public static class Wrap { public static int Around(Node n) { var b = new Box(); b.Item = n; return b.GetHashCode(); } }" },
        // stored in the calling thread's own slot
        { "public int Use() { var n = new Node(); Slot.Keep(n); n.X++; return n.X; }", Node + " public static class Slot { [ThreadStatic] private static Node? t_last; public static void Keep(Node n) => t_last = n; }" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_objects_used_after_a_call_published_them(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_objects_a_call_keeps_to_the_thread(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
