using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<InnerStrategyAnalyzer>;

/// <summary>MEM1009: a strategy that holds strategies disposes them in its cleanup.</summary>
public sealed class InnerStrategyTests
{
    /// <summary>A strategy type to hold (hand-written: the analyzer tests run no generator).</summary>
    private const string Inner = Sources.Implementation + "\n";

    /// <summary>The two cores of the holders below.</summary>
    private const string Cores = "[Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { }";

    public static TheoryData<string> Reports => new()
    {
        // No cleanup at all.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl {|MEM1009:_inner|} = new(); [Allocate] private void* A(nuint size) => _inner.Allocate(size); [Deallocate] private void D(void* p) => _inner.Deallocate(p); }",
        // A cleanup that forgets one of two, held through the interface and in an array.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy {|MEM1009:_fallback|} = new Impl(); private readonly Impl[] _classes = [new()]; [Allocate] private void* A(nuint size) => _fallback.Allocate(size); [Deallocate] private void D(void* p) => _fallback.Deallocate(p); [Cleanup] private void C() { foreach (Impl pool in _classes) pool.Dispose(); } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] {|MEM1009:_classes|} = [new()]; [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Cleanup] private void C() { } }",
        // An auto-property, never disposed (no cleanup), and beside a field the cleanup disposes.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private Impl {|MEM1009:Pool|} { get; } = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _first = new(); public IMemoryStrategy {|MEM1009:Second|} { get; set; } = new Impl(); " + Cores + " [Cleanup] private void C() => _first.Dispose(); }",
        // Collections other than arrays: a list, a read-only list, an immutable array, a dictionary's values.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly List<IMemoryStrategy> {|MEM1009:_inners|} = []; private readonly IReadOnlyList<Impl> {|MEM1009:_pools|} = []; " + Cores + " [Cleanup] private void C() { } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly System.Collections.Immutable.ImmutableArray<Impl> {|MEM1009:_pools|} = []; private readonly Dictionary<int, Impl> {|MEM1009:_bySize|} = new(); " + Cores + " }",
        // A helper object holding strategies (its state kept in a class of its own): no cleanup, or one that does not read it;
        // made in the constructor, or a struct (the holder's own storage).
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { public IMemoryStrategy Fallback = new Impl(); } private readonly State {|MEM1009:_state|}; public Outer() { _state = new State(); } " + Cores + " }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private struct Pair { public Impl First; } private Pair {|MEM1009:_pair|}; public Outer() { _pair.First = new Impl(); } " + Cores + " [Cleanup] private void C() { } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { public IMemoryStrategy Fallback = new Impl(); public Impl[] Classes { get; } = [new()]; public int Count; } private readonly State {|MEM1009:_state|} = new(); " + Cores + " }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { public IMemoryStrategy Fallback = new Impl(); public Impl[] Classes { get; } = [new()]; public int Count; } private readonly Impl _pool = new(); private State {|MEM1009:Tiers|} { get; } = new(); " + Cores + " [Cleanup] private void C() => _pool.Dispose(); }",
        // Helpers the cleanup calls that do not read the field, and a helper that does but that the cleanup never calls.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl {|MEM1009:_pool|} = new(); " + Cores + " [Cleanup] private void C() => Release(); private void Release() => Log(); private void Log() { } public void Reset() => _pool.Dispose(); }",
        // The cleanup hands the holder to a helper of another type that does not read the field.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { internal readonly Impl {|MEM1009:Pool|} = new(); " + Cores + " [Cleanup] private void C() => Teardown.Log(this); } public static class Teardown { public static void Log(Outer o) => Console.WriteLine(o.GetHashCode()); }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        // Disposed in the cleanup: directly, through a loop over the array, through a helper call on the field.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _inner = new(); [Allocate] private void* A(nuint size) => _inner.Allocate(size); [Deallocate] private void D(void* p) => _inner.Deallocate(p); [Cleanup] private void C() => _inner.Dispose(); }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] _classes = [new()]; private readonly IMemoryStrategy _fallback = new Impl(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Cleanup] private void C() { foreach (Impl pool in _classes) pool.Dispose(); _fallback.Dispose(); } }",
        // Disposed by the cleanup's helpers, at any depth and through a cycle: directly, with ?.Dispose(), a loop over a
        // list or a dictionary's values, a local function, a method group.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); " + Cores + " [Cleanup] private void C() => ReleaseInner(); private void ReleaseInner() => _pool.Dispose(); }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl? _pool = new(); private readonly List<IMemoryStrategy> _inners = []; private readonly Dictionary<string, Impl> _byName = new(); " + Cores
            + " [Cleanup] private void C() => First(0); private void First(int depth) { if (depth < 2) Second(depth); } private void Second(int depth) { First(depth + 1); _pool?.Dispose(); foreach (var inner in _inners) inner.Dispose(); Values(); } private void Values() { foreach (Impl inner in _byName.Values) inner?.Dispose(); } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] _pools = [new()]; private Impl Pool { get; } = new(); " + Cores + " [Cleanup] private void C() { Run(ReleaseAll); Local(); void Local() => Pool.Dispose(); } private static void Run(Action action) => action(); private void ReleaseAll() => Array.ForEach(_pools, pool => pool.Dispose()); }",
        // A helper object read by the cleanup: its members disposed, or the object handed to a method of its own.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { public IMemoryStrategy Fallback = new Impl(); public Impl[] Classes { get; } = [new()]; public int Count; } private readonly State _state = new(); " + Cores + " [Cleanup] private void C() { _state.Fallback.Dispose(); foreach (var c in _state.Classes) c.Dispose(); } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { public Impl Pool = new(); public void Release() => Pool.Dispose(); } private readonly State _state = new(); " + Cores + " [Cleanup] private void C() => _state.Release(); }",
        // The cleanup hands the holder to a helper of another type that disposes its strategies, directly or a call deeper.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { internal readonly Impl Pool = new(); " + Cores + " [Cleanup] private void C() => Teardown.Run(this); } public static class Teardown { public static void Run(Outer o) => o.Pool.Dispose(); }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { internal readonly Impl[] Pools = [new()]; " + Cores + " [Cleanup] private void C() => new Teardown().Run(this); } public sealed class Teardown { public void Run(Outer o) => Each(o.Pools); private static void Each(Impl[] pools) { foreach (Impl p in pools) p.Dispose(); } }",
        // A helper's reference back to its holder: typed as the holder, or as the contract and handed the holder itself.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class Arena { public Outer? Owner; public long Used; } private readonly Arena _arena = new(); " + Cores + " }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class Arena(IMemoryStrategy owner) { public readonly IMemoryStrategy Owner = owner; } private readonly Arena _arena; public Outer() => _arena = new Arena((IMemoryStrategy)(object)this); " + Cores + " }",
        // An object the holder is handed (options kept in a field), not made: borrowed, not judged.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { public sealed class Options { public IMemoryStrategy? Fallback { get; set; } } private readonly Options _options; public Outer(Options options) { _options = options; } " + Cores + " }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { public sealed class Options { public IMemoryStrategy? Fallback { get; set; } } private readonly Options _options = new(); public Outer(Options options) => this._options = options; " + Cores + " }",
        // A helper object that holds no strategy, a helper inside a helper (one level), a type not declared in source.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private sealed class Stats { public long Count; } private sealed class Deep { public Stats Inner = new(); } private readonly Stats _stats = new(); private readonly Deep _deep = new(); private readonly Lazy<Impl> _lazy = new(); " + Cores + " }",
        // Fields that hold no strategy, static fields, and classes that are not strategies.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly object _gate = new(); private static readonly Impl s_shared = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }",
        Inner + "public sealed class Holder { private readonly Impl _inner = new(); }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_an_inner_strategy_the_cleanup_does_not_dispose(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_inner_strategies_the_cleanup_or_its_helpers_dispose_or_fields_that_hold_none(string code) => Verify.VerifyAsync(Sources.File(code));
}
