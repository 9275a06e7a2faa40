using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<InnerStrategyAttachAnalyzer>;

/// <summary>MEM1010: a strategy that holds strategies attaches them (<c>StatusTracker.AttachTo</c>).</summary>
public sealed class InnerStrategyAttachTests
{
    /// <summary>A strategy type to hold (hand-written: the analyzer tests run no generator, so the owner is a new tracker).</summary>
    private const string Inner = Sources.Implementation + "\n";

    /// <summary>The members every holder below shares: the two cores and a cleanup that disposes what it holds.</summary>
    private const string Cores = "[Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { }";

    public static TheoryData<string> Reports => new()
    {
        // Held and disposed, never attached.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl {|MEM1010:_inner|} = new(); " + Cores + " [Cleanup] private void C() => _inner.Dispose(); }",
        // One of two attached: the array is not.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy _fallback = new Impl(); private readonly Impl[] {|MEM1010:_classes|} = [new()]; "
            + "public Outer() => _fallback.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"fallback\"); " + Cores + " [Cleanup] private void C() { _fallback.Dispose(); foreach (Impl i in _classes) i.Dispose(); } }",
        // A local attached and stored into one field; the other field gets a strategy nobody attached.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _first; private readonly Impl {|MEM1010:_second|}; "
            + "public Outer() { var a = new Impl(); a.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"a\"); _first = a; _second = new Impl(); } " + Cores + " [Cleanup] private void C() { _first.Dispose(); _second.Dispose(); } }",
        // An auto-property, never attached.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private Impl {|MEM1010:Pool|} { get; } = new(); " + Cores + " [Cleanup] private void C() => Pool.Dispose(); }",
        // Collections other than arrays: a list, a read-only list, an immutable array, a dictionary's values.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly List<IMemoryStrategy> {|MEM1010:_inners|} = [new Impl()]; private readonly IReadOnlyList<Impl> {|MEM1010:_pools|} = [new()]; "
            + Cores + " [Cleanup] private void C() { foreach (var i in _inners) i.Dispose(); foreach (var p in _pools) p.Dispose(); } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly System.Collections.Immutable.ImmutableArray<Impl> {|MEM1010:_pools|} = [new()]; private readonly Dictionary<int, Impl> {|MEM1010:_bySize|} = new() { [16] = new() }; "
            + Cores + " [Cleanup] private void C() { foreach (var p in _pools) p.Dispose(); foreach (var p in _bySize.Values) p.Dispose(); } }",
        // A list whose added local is attached; the other list gets one nobody attached (Contains stores nothing).
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly List<Impl> _first = []; private readonly List<Impl> {|MEM1010:_second|} = []; "
            + "public Outer() { var a = new Impl(); a.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"a\"); _first.Add(a); if (!_second.Contains(a)) _second.Add(new Impl()); } " + Cores + " [Cleanup] private void C() { _first.ForEach(p => p.Dispose()); _second.ForEach(p => p.Dispose()); } }",
        // Another type's code handed the tracker attaches what it is handed with it, not the rest.
        Inner + "public static class Attacher { public static void AttachAll(StatusTracker owner, params IMemoryStrategy[] inners) { foreach (var i in inners) i.StatusTracker.AttachTo(owner, \"x\"); } public static void Attach(IMemoryStrategy owner, IMemoryStrategy inner) => inner.StatusTracker.AttachTo(owner.StatusTracker, \"x\"); }\n" + "[MemoryStrategy] public unsafe partial class Outer { public StatusTracker StatusTracker { get; } = new(\"o\"); private readonly Impl _a = new(); private readonly Impl {|MEM1010:_b|} = new(); "
            + "public Outer() => Attacher.AttachAll(StatusTracker, _a); " + Cores + " [Cleanup] private void C() { _a.Dispose(); _b.Dispose(); } }",
    };

    /// <summary>A helper object of the holder's own: a strategy and an array of them among its fields.</summary>
    private const string State = "private sealed class State { public IMemoryStrategy Fallback = new Impl(); public Impl[] Classes { get; } = [new()]; public int Count; } ";

    public static TheoryData<string> HelperReports => new()
    {
        // Nothing of the helper attached; one of its two strategy members attached (by path, by a loop).
        Inner + "[MemoryStrategy] public unsafe partial class Outer { " + State + "private readonly State {|MEM1010:_state|} = new(); " + Cores + " [Cleanup] private void C() => _state.Fallback.Dispose(); }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { " + State + "private readonly State {|MEM1010:_state|} = new(); public Outer() => _state.Fallback.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"f\"); " + Cores + " [Cleanup] private void C() => _state.Fallback.Dispose(); }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { " + State + "private readonly State {|MEM1010:_state|} = new(); public Outer() { foreach (var c in _state.Classes) c.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"c\"); } " + Cores + " [Cleanup] private void C() { } }",
    };

    public static TheoryData<string> HelperNearMisses => new()
    {
        // Each strategy member attached: by path and loop, by element and a stored local; or the tracker handed to the helper.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { " + State + "private readonly State _state = new(); public Outer() { _state.Fallback.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"f\"); foreach (var c in this._state.Classes) c.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"c\"); } " + Cores + " [Cleanup] private void C() { } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { " + State + "private readonly State _state = new(); public Outer(IMemoryStrategy f) { f.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"f\"); _state.Fallback = f; _state.Classes[0].StatusTracker.AttachTo(new StatusTracker(\"o\"), \"c\"); } " + Cores + " [Cleanup] private void C() { } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class Arena { public Outer? Owner; } private readonly Arena _arena = new(); " + Cores + " [Cleanup] private void C() { } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { private readonly Impl _pool = new(); public State(StatusTracker owner) => _pool.StatusTracker.AttachTo(owner, \"pool\"); } private readonly State _state; public StatusTracker StatusTracker => null!; public Outer() => _state = new State(StatusTracker); " + Cores + " [Cleanup] private void C() { } }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        // The field attached directly.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _inner = new(); public Outer() => _inner.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"a\"); " + Cores + " [Cleanup] private void C() => _inner.Dispose(); }",
        // Each element: a local attached, then stored into the array; an element attached in place; a foreach over the array.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] _classes = new Impl[2]; "
            + "public Outer() { for (int i = 0; i < 2; i++) { var pool = new Impl(); pool.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"c\"); _classes[i] = pool; } } " + Cores + " [Cleanup] private void C() { foreach (Impl i in _classes) i.Dispose(); } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] _classes = [new()]; public Outer() => _classes[0].StatusTracker.AttachTo(new StatusTracker(\"o\"), \"c\"); " + Cores + " [Cleanup] private void C() { foreach (Impl i in _classes) i.Dispose(); } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] _classes = [new()]; public Outer() { foreach (Impl pool in _classes) pool.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"c\"); } " + Cores + " [Cleanup] private void C() { foreach (Impl i in _classes) i.Dispose(); } }",
        // A strategy passed in, attached, then stored (the fallback a caller hands over).
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy _fallback; public Outer(IMemoryStrategy fallback) { fallback.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"fallback\"); _fallback = fallback; } " + Cores + " [Cleanup] private void C() => _fallback.Dispose(); }",
        // An auto-property attached, directly or as the parameter stored into it.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private Impl Pool { get; } = new(); public Outer() => Pool.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"pool\"); " + Cores + " [Cleanup] private void C() => Pool.Dispose(); }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { public IMemoryStrategy Fallback { get; } public Outer(IMemoryStrategy fallback) { fallback.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"fallback\"); Fallback = fallback; } " + Cores + " [Cleanup] private void C() => Fallback.Dispose(); }",
        // Lists: a foreach, an element in place, a local attached then added.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly List<IMemoryStrategy> _inners = [new Impl()]; private readonly IReadOnlyList<Impl> _pools = [new()]; private readonly List<Impl> _added = []; "
            + "public Outer() { foreach (var inner in _inners) inner.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"i\"); for (int i = 0; i < _pools.Count; i++) _pools[i].StatusTracker.AttachTo(new StatusTracker(\"o\"), \"p\"); "
            + "var pool = new Impl(); pool.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"a\"); _added.Add(pool); } " + Cores
            + " [Cleanup] private void C() { foreach (var i in _inners) i.Dispose(); foreach (var p in _pools) p.Dispose(); foreach (var p in _added) p.Dispose(); } }",
        // Dictionaries: each entry's Value, each of Values, an entry deconstructed, a local stored under a key.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Dictionary<int, Impl> _a = new(); private readonly Dictionary<int, Impl> _b = new(); private readonly Dictionary<int, Impl> _c = new(); private readonly Dictionary<int, Impl> _d = new(); "
            + "public Outer() { foreach (var entry in _a) entry.Value.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"a\"); foreach (var pool in _b.Values) pool.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"b\"); "
            + "foreach (var (size, pool) in _c) pool.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"c\"); var d = new Impl(); d.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"d\"); _d[16] = d; } " + Cores
            + " [Cleanup] private void C() { foreach (var p in _a.Values) p.Dispose(); foreach (var p in _b.Values) p.Dispose(); foreach (var p in _c.Values) p.Dispose(); foreach (var p in _d.Values) p.Dispose(); } }",
        // Attached through a helper: which field the helper attaches is not known, so nothing is reported.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _inner = new(); public Outer() => Attach(_inner); private static void Attach(IMemoryStrategy inner) => inner.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"a\"); " + Cores + " [Cleanup] private void C() => _inner.Dispose(); }",
        // Not a strategy, or no strategy held.
        Inner + "public sealed class Holder { private readonly Impl _inner = new(); }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly object _gate = new(); private static readonly Impl s_shared = new(); " + Cores + " }",
        // Another type's code handed the tracker (or the strategy) with the inner strategies: directly, in a params array, in an array.
        Inner + "public static class Attacher { public static void AttachAll(StatusTracker owner, params IMemoryStrategy[] inners) { foreach (var i in inners) i.StatusTracker.AttachTo(owner, \"x\"); } public static void Attach(IMemoryStrategy owner, IMemoryStrategy inner) => inner.StatusTracker.AttachTo(owner.StatusTracker, \"x\"); }\n" + "[MemoryStrategy] public unsafe partial class Outer { public StatusTracker StatusTracker { get; } = new(\"o\"); private readonly Impl _a = new(); private readonly Impl _b = new(); "
            + "public Outer() { Attacher.AttachAll(StatusTracker, _a, _b); } " + Cores + " [Cleanup] private void C() { _a.Dispose(); _b.Dispose(); } }",
        Inner + "public static class Attacher { public static void AttachAll(StatusTracker owner, params IMemoryStrategy[] inners) { foreach (var i in inners) i.StatusTracker.AttachTo(owner, \"x\"); } public static void Attach(IMemoryStrategy owner, IMemoryStrategy inner) => inner.StatusTracker.AttachTo(owner.StatusTracker, \"x\"); }\n" + "[MemoryStrategy] public unsafe partial class Outer { public StatusTracker StatusTracker { get; } = new(\"o\"); private readonly Impl _a = new(); private readonly Impl _b = new(); "
            + "public Outer() { Attacher.AttachAll(this.StatusTracker, new IMemoryStrategy[] { _a, _b }); } " + Cores + " [Cleanup] private void C() { _a.Dispose(); _b.Dispose(); } }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_an_inner_strategy_no_member_attaches(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_attached_inner_strategies_or_attaches_it_cannot_follow(string code) => Verify.VerifyAsync(Sources.File(code));

    [Fact]
    public async Task The_message_says_what_to_call_on_a_field_and_on_each_strategy_of_a_collection()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(
            Sources.File(Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _inner = new(); private readonly List<Impl> _pools = [new()]; "
                + Cores + " [Cleanup] private void C() { _inner.Dispose(); _pools.ForEach(p => p.Dispose()); } }"),
            new InnerStrategyAttachAnalyzer());

        string[] messages = [.. diagnostics.Where(d => d.Id == "MEM1010").Select(d => d.GetMessage()).Order()];
        Assert.Equal(2, messages.Length);
        Assert.Contains("call _inner.StatusTracker.AttachTo(StatusTracker, role) when it is stored", messages[0]);
        Assert.Contains("call StatusTracker.AttachTo(StatusTracker, role) on each strategy in _pools when it is stored", messages[1]);
    }

    [Theory]
    [MemberData(nameof(HelperReports))]
    public Task Reports_a_helper_object_whose_strategies_are_not_all_attached(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(HelperNearMisses))]
    public Task Does_not_report_a_helper_object_whose_strategies_are_attached(string code) => Verify.VerifyAsync(Sources.File(code));

    [Fact]
    public async Task The_message_names_only_the_helper_members_left_to_attach()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(
            Sources.File(Inner + "[MemoryStrategy] public unsafe partial class Outer { " + State + "private readonly State _state = new(); public Outer() => _state.Fallback.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"f\"); " + Cores + " [Cleanup] private void C() { } }"),
            new InnerStrategyAttachAnalyzer());

        string message = Assert.Single(diagnostics, d => d.Id == "MEM1010").GetMessage();
        Assert.Contains("call StatusTracker.AttachTo(StatusTracker, role) on each strategy in _state.Classes when it is stored", message);
    }

    [Fact]
    public async Task The_message_says_a_private_helper_member_is_attached_from_the_helper()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(
            Sources.File(Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { private readonly Impl _pool = new(); public void Touch() => _ = _pool; } private readonly State _state = new(); " + Cores + " [Cleanup] private void C() => _state.Touch(); }"),
            new InnerStrategyAttachAnalyzer());

        string message = Assert.Single(diagnostics, d => d.Id == "MEM1010").GetMessage();
        Assert.Contains("on each strategy in _state._pool (a private one from the helper's own code, given StatusTracker)", message);
    }
}
