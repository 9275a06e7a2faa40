using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// A helper kept behind an interface or a base class of the user's own (<c>IFreeList _list = new PlainFreeList()</c>):
/// a dispatched call may run any implementation in the compilation, and each is analysed as a direct call would be.
/// </summary>
public sealed class DispatchedHelperTests
{
    public static TheoryData<string, string> Reports => new()
    {
        // through an interface field, and through an interface property
        { "private readonly IFreeList _list = new PlainList(); public void Use(nint p) => _list.Push(p);",
          "public interface IFreeList { void Push(nint p); } public sealed class PlainList : IFreeList { private int _count; public void Push(nint p) { {|MEM2001:_count++|}; } }" },
        { "private IFreeList List { get; } = new PlainList(); public void Use(nint p) => List.Push(p);",
          "public interface IFreeList { void Push(nint p); } public sealed class PlainList : IFreeList { private int _count; public void Push(nint p) { {|MEM2001:_count++|}; } }" },
        // an explicit implementation, a generic interface
        { "private readonly IFreeList _list = new PlainList(); public void Use(nint p) => _list.Push(p);",
          "public interface IFreeList { void Push(nint p); } public sealed class PlainList : IFreeList { private int _count; void IFreeList.Push(nint p) { {|MEM2001:_count++|}; } }" },
        { "private readonly IStack<long> _stack = new PlainStack<long>(); public void Use() => _stack.Push(1);",
          "public interface IStack<T> { void Push(T item); } public sealed class PlainStack<T> : IStack<T> { private T? _last; public void Push(T item) { {|MEM2002:_last = item|}; } }" },
        // a field the caller fills may hold any implementation: the one behind a lock is quiet, the other is reported
        { "private readonly IFreeList _list; public S(IFreeList list) { _list = list; } public void Use(nint p) => _list.Push(p);",
          "public interface IFreeList { void Push(nint p); } public sealed class LockedList : IFreeList { private readonly object _gate = new(); private int _count; public void Push(nint p) { lock (_gate) { _count++; } } } "
          + "public sealed class PlainList : IFreeList { private int _count; public void Push(nint p) { {|MEM2001:_count++|}; } }" },
        // an interface property: implemented with a body, and as an auto-property (the field it is, at the access)
        { "private readonly ICounter _c = new Counter(); public void Use() => _c.Count = 3;",
          "public interface ICounter { int Count { get; set; } } public sealed class Counter : ICounter { private int _n; public int Count { get => _n; set { {|MEM2002:_n = value|}; } } }" },
        { "private readonly ICounter _c = new Counter(); public void Use() { {|MEM2001:_c.Count++|}; }",
          "public interface ICounter { int Count { get; set; } } public sealed class Counter : ICounter { public int Count { get; set; } }" },
        // what a dispatched call returns: one implementation hands out a shared object
        { "private readonly ISource _source = new Shared(); public void Use() { var c = _source.Take(); {|MEM2001:c.Used++|}; }",
          "public sealed class Chunk { public int Used; } public interface ISource { Chunk Take(); } public sealed class Shared : ISource { private readonly Chunk _one = new(); public Chunk Take() => _one; } "
          + "public sealed class Fresh : ISource { public Chunk Take() => new Chunk(); }" },
        // a collection handed to a dispatched call that changes it
        { "private readonly List<int> _seen = new(); private readonly IFiller _filler = new Filler(); public void Use() => _filler.Fill({|MEM2004:_seen|});",
          "public interface IFiller { void Fill(List<int> into); } public sealed class Filler : IFiller { public void Fill(List<int> into) => into.Add(1); }" },
        // an abstract base class's method, a virtual one overridden
        { "private readonly Tier _tier = new SmallTier(); public void Use() => _tier.Take();",
          "public abstract class Tier { public abstract void Take(); } public sealed class SmallTier : Tier { private int _used; public override void Take() { {|MEM2001:_used++|}; } }" },
        { "private readonly Tier _tier = new SmallTier(); public void Use() => _tier.Take();",
          "public class Tier { protected int Used; public virtual void Take() { {|MEM2001:Used++|}; } } public sealed class SmallTier : Tier { private int _extra; public override void Take() { {|MEM2001:_extra++|}; } }" },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // every implementation thread-safe; a call under the strategy's lock
        { "private readonly IFreeList _list = new LockedList(); public void Use(nint p) => _list.Push(p);",
          "public interface IFreeList { void Push(nint p); } public sealed class LockedList : IFreeList { private int _count; public void Push(nint p) => Interlocked.Increment(ref _count); }" },
        { "private readonly object _gate = new(); private readonly IFreeList _list = new PlainList(); public void Use(nint p) { lock (_gate) { _list.Push(p); } }",
          "public interface IFreeList { void Push(nint p); } public sealed class PlainList : IFreeList { private int _count; public void Push(nint p) => _count++; }" },
        // a field the class fills only with new objects of one type holds that type: another implementation (a test
        // double) is not reached from here
        { "private readonly IFreeList _list = new LockedList(); public void Use(nint p) => _list.Push(p);",
          "public interface IFreeList { void Push(nint p); } public sealed class LockedList : IFreeList { private readonly object _gate = new(); private int _count; public void Push(nint p) { lock (_gate) { _count++; } } } "
          + "public sealed class PlainList : IFreeList { private int _count; public void Push(nint p) => _count++; }" },
        { "private IFreeList List { get; } private readonly Other _other = new(); public S() { List = new LockedList(); } public void Use(nint p) => List.Push(p);",
          "public interface IFreeList { void Push(nint p); } public sealed class LockedList : IFreeList { private int _count; public void Push(nint p) => Interlocked.Increment(ref _count); } "
          + "public sealed class PlainList : IFreeList { private int _count; public void Push(nint p) => _count++; } public sealed class Other { }" },
        // an interface declared elsewhere (IDisposable) is not followed into this compilation's implementations
        { "private readonly IDisposable _part = new Part(); public void Use() => _part.Dispose();",
          "public sealed class Part : IDisposable { private int _disposed; public void Dispose() => _disposed++; }" },
        // an interface property only read
        { "private readonly ICounter _c = new Counter(); public int Use() => _c.Count;",
          "public interface ICounter { int Count { get; } } public sealed class Counter : ICounter { private int _n; public int Count => _n; public void Set(int n) => _n = n; }" },
        // what a dispatched call returns: every implementation makes a new object, so the caller's is its own
        { "private readonly ISource _source = new Fresh(); public void Use() { var c = _source.Take(); c.Used++; }",
          "public sealed class Chunk { public int Used; } public interface ISource { Chunk Take(); } public sealed class Fresh : ISource { public Chunk Take() => new Chunk(); } "
          + "public sealed class Pooled : ISource { public Chunk Take() { var c = new Chunk(); c.Used = 1; return c; } }" },
        // a local the method created: confined, whatever runs behind the interface
        { "public void Use(nint p) { IFreeList mine = new PlainList(); mine.Push(p); }",
          "public interface IFreeList { void Push(nint p); } public sealed class PlainList : IFreeList { private int _count; public void Push(nint p) => _count++; }" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_what_an_implementation_behind_a_dispatched_call_does(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_thread_safe_or_confined_implementations(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
