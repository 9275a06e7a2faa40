using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// A non-thread-safe collection handed to a method that changes it (<c>Fill.Into(_list)</c> where <c>Into</c> calls
/// <c>l.Add(1)</c>) is changed at the call, with the caller's locks: MEM2004 at the argument.
/// </summary>
public sealed class CollectionArgumentTests
{
    private const string Fill = "public static class Fill { public static void Into(List<int> l) => l.Add(1); public static int Count(List<int> l) => l.Count; }";

    public static TheoryData<string, string> Reports => new()
    {
        // a static helper of another type
        { "private readonly List<int> _list = new(); public void Use() => Fill.Into({|MEM2004:_list|});", Fill },
        // the strategy's own static helper, through its indexer
        { "private readonly Dictionary<int, int> _map = new(); public void Use() => Put({|MEM2004:_map|}); private static void Put(Dictionary<int, int> m) { m[1] = 2; }", string.Empty },
        // handed on through a second method
        { "private readonly List<int> _list = new(); public void Use() => Fill.Twice({|MEM2004:_list|});", "public static class Fill { public static void Twice(List<int> l) { Into(l); Into(l); } private static void Into(List<int> l) => l.Add(1); }" },
        // through a local copy of the field
        { "private readonly List<int> _list = new(); public void Use() { var l = _list; Fill.Into({|MEM2004:l|}); }", Fill },
        // a helper's own collection, handed to a static helper
        { "private readonly Bag _bag = new(); public void Use() => _bag.Put();", "public sealed class Bag { private readonly List<int> _items = new(); public void Put() => Fill.Into({|MEM2004:_items|}); } " + Fill },
        // changed under a lock in one place, read without it elsewhere
        { "private readonly object _gate = new(); private readonly List<int> _list = new(); public void Use() { lock (_gate) { Fill.Into(_list); } } public int Count() => {|MEM2004:_list|}.Count;", Fill },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // a helper that only reads its parameter
        { "private readonly List<int> _list = new() { 1 }; public int Use() => Fill.Count(_list);", Fill },
        // changed under the lock everywhere
        { "private readonly object _gate = new(); private readonly List<int> _list = new(); public void Use() { lock (_gate) { Fill.Into(_list); } } public int Count() { lock (_gate) { return _list.Count; } }", Fill },
        // a list of the caller's own
        { "public int Use() { var l = new List<int>(); Fill.Into(l); return l.Count; }", Fill },
        // filled by the constructor only
        { "private readonly List<int> _list = new(); public S() { Fill.Into(_list); } public int Count() => _list.Count;", Fill },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_collections_changed_by_the_method_they_are_passed_to(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_collections_only_read_or_protected(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
