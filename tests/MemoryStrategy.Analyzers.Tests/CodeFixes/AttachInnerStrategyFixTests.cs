using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = CodeFixVerifier<InnerStrategyAttachAnalyzer, AttachInnerStrategyFix>;

/// <summary>The MEM1010 fix (<c>AttachInnerStrategyFix</c>): attaches each inner strategy in the constructors.</summary>
public sealed class AttachInnerStrategyFixTests
{
    /// <summary>The holder's members besides its fields and constructors (its tracker written by hand: no generator runs here).</summary>
    private const string Rest = " public StatusTracker StatusTracker => null!; [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Cleanup] private void C() { }";

    [Fact]
    public Task MEM1010_adds_a_constructor_that_attaches_a_field_and_an_array() => Verify.VerifyAsync(
        Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private readonly Impl {|MEM1010:_fallback|} = new(); private readonly Impl[] {|MEM1010:_classes|} = [new()];" + Rest + " }"),
        Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _fallback = new(); private readonly Impl[] _classes = [new()];"
            + Rest.Replace(" [Allocate]", " public Outer() { _fallback.StatusTracker.AttachTo(StatusTracker, \"fallback\"); foreach (var inner in _classes) { inner.StatusTracker.AttachTo(StatusTracker, \"classes\"); } } [Allocate]") + " }"));

    [Fact]
    public Task MEM1010_appends_to_each_constructor_that_does_not_chain() => Verify.VerifyAsync(
        Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy {|MEM1010:_inner|}; public Outer() : this(new Impl()) { } public Outer(IMemoryStrategy inner) => _inner = inner;" + Rest + " }"),
        Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy _inner; public Outer() : this(new Impl()) { } public Outer(IMemoryStrategy inner) { _inner = inner; _inner.StatusTracker.AttachTo(StatusTracker, \"inner\"); }" + Rest + " }"));

    [Fact]
    public Task MEM1010_attaches_an_auto_property_each_element_of_a_list_and_each_value_of_a_dictionary() => Verify.VerifyAsync(
        Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private Impl {|MEM1010:Pool|} { get; } = new(); private readonly List<IMemoryStrategy> {|MEM1010:_inners|} = []; private readonly Dictionary<int, Impl> {|MEM1010:_bySize|} = new(); public Outer(int n) { }" + Rest + " }"),
        Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private Impl Pool { get; } = new(); private readonly List<IMemoryStrategy> _inners = []; private readonly Dictionary<int, Impl> _bySize = new(); public Outer(int n) { Pool.StatusTracker.AttachTo(StatusTracker, \"Pool\"); foreach (var inner in _inners) { inner.StatusTracker.AttachTo(StatusTracker, \"inners\"); } foreach (var inner in _bySize) { inner.Value.StatusTracker.AttachTo(StatusTracker, \"bySize\"); } }" + Rest + " }"));

    [Fact]
    public Task MEM1010_attaches_each_strategy_a_helper_object_holds() => Verify.VerifyAsync(
        Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private sealed class State { public IMemoryStrategy Fallback = new Impl(); public Impl[] Classes { get; } = [new()]; public int Count; } private readonly State {|MEM1010:_state|} = new();" + Rest + " }"),
        Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private sealed class State { public IMemoryStrategy Fallback = new Impl(); public Impl[] Classes { get; } = [new()]; public int Count; } private readonly State _state = new();"
            + Rest.Replace(" [Allocate]", " public Outer() { _state.Fallback.StatusTracker.AttachTo(StatusTracker, \"Fallback\"); foreach (var inner in _state.Classes) { inner.StatusTracker.AttachTo(StatusTracker, \"Classes\"); } } [Allocate]") + " }"));

    [Fact]
    public Task MEM1010_offers_no_fix_when_the_helper_keeps_its_strategy_private()
    {
        // The holder cannot name State._pool: the diagnostic stays, unfixed (the helper attaches it, given the tracker).
        string source = Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private sealed class State { private readonly Impl _pool = new(); public void Touch() => _ = _pool; } private readonly State {|MEM1010:_state|} = new();" + Rest + " }");
        return Verify.VerifyAsync(source, source, iterations: 0);
    }
}
