using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<InnerStrategyPublicCallAnalyzer>;

/// <summary>MEM1011: a core calls an inner generated strategy through its nested entry points, not its public ones.</summary>
public sealed class InnerStrategyPublicCallTests
{
    /// <summary>
    /// An inner generated strategy, written by hand (the analyzer tests run no generator): its cores, and the public
    /// entries and nested entries the generator would add.
    /// </summary>
    private const string Pool = """
        [MemoryStrategy]
        public sealed unsafe partial class Pool
        {
            [Allocate] private void* Core(nuint size) => null;
            [Deallocate] private void Free(void* ptr) { }
            public void* Allocate(nuint size) => null;
            public void Deallocate(void* ptr) { }
            public bool Owns(void* ptr) => false;
            public bool OwnsNested(void* ptr) => false;
            public void* AllocateNested(StrategyThread thread, nuint size, bool recordStatistics) => null;
            public bool DeallocateNested(StrategyThread thread, void* ptr, bool recordStatistics) => true;
            public ThreadScope ForCurrentThread() => default;
            public readonly ref struct ThreadScope
            {
                public void* Allocate(nuint size) => null;
                public void Deallocate(void* ptr) { }
                public bool Owns(void* ptr) => false;
            }
        }

        """;

    public static TheoryData<string> Reports => new()
    {
        // Both cores call the inner pool's public entries.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size) => {|MEM1011:_pool.Allocate(size)|}; [Deallocate] private void D(void* p) => {|MEM1011:_pool.Deallocate(p)|}; }",
        // From an array of pools, inside a local function of the core.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool[] _pools = [new()]; [Allocate] private void* A(nuint size) { return Pick(); void* Pick() => {|MEM1011:_pools[0].Allocate(size)|}; } [Deallocate] private void D(void* p) { } }",
        // The holder's [Owns] asking the inner pool's public Owns.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Owns] private bool O(void* p) => {|MEM1011:_pool.Owns(p)|}; }",
        // Through the holder's own routing helpers, two calls deep.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size) => Route(size); private void* Route(nuint size) => Serve(size); private void* Serve(nuint size) => {|MEM1011:_pool.Allocate(size)|}; [Deallocate] private void D(void* p) { } }",
        // Through the inner pool's ForCurrentThread() scope: in one expression, through a local, from a helper.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size) => {|MEM1011:_pool.ForCurrentThread().Allocate(size)|}; "
            + "[Deallocate] private void D(void* p) { Pool.ThreadScope scope = _pool.ForCurrentThread(); {|MEM1011:scope.Deallocate(p)|}; } [Owns] private bool O(void* p) { var scope = _pool.ForCurrentThread(); return {|MEM1011:scope.Owns(p)|}; } }",
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly List<Pool> _pools = [new()]; [Allocate] private void* A(nuint size) => Pick(size); private void* Pick(nuint size) => {|MEM1011:_pools[0].ForCurrentThread().Allocate(size)|}; [Deallocate] private void D(void* p) { } }",
        // Through a property whose getter a core reads.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); private nint Warm => (nint){|MEM1011:_pool.Allocate(16)|}; [Allocate] private void* A(nuint size) => (void*)Warm; [Deallocate] private void D(void* p) { } }",
        // Through a helper object of the user's own: its method, a static helper, a helper method calling another, a helper's getter.
        Pool + "public sealed unsafe class Router { public readonly Pool Small = new(); public void* Route(nuint size) => {|MEM1011:Small.Allocate(size)|}; } "
            + "[MemoryStrategy] public unsafe partial class Outer { private readonly Router _router = new(); [Allocate] private void* A(nuint size) => _router.Route(size); [Deallocate] private void D(void* p) { } }",
        Pool + "public static unsafe class Routing { public static void Free(Pool pool, void* p) => Release(pool, p); private static void Release(Pool pool, void* p) => {|MEM1011:pool.Deallocate(p)|}; } "
            + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) => Forward(p); private void Forward(void* p) => Routing.Free(_pool, p); }",
        Pool + "public sealed unsafe class State { public readonly Pool Fallback = new(); public nint Warm => (nint){|MEM1011:Fallback.Allocate(16)|}; public nint Read() => Warm; } "
            + "[MemoryStrategy] public unsafe partial class Outer { private readonly State _state = new(); [Allocate] private void* A(nuint size) => (void*)_state.Read(); [Deallocate] private void D(void* p) { } }",
        // Through a helper behind an interface of the user's own: each implementation is read.
        Pool + "public interface IRouter { unsafe void* Route(nuint size); } public sealed unsafe class Router : IRouter { private readonly Pool _small = new(); public void* Route(nuint size) => {|MEM1011:_small.Allocate(size)|}; } "
            + "[MemoryStrategy] public unsafe partial class Outer { private readonly IRouter _router = new Router(); [Allocate] private void* A(nuint size) => _router.Route(size); [Deallocate] private void D(void* p) { } }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        // The nested entries, OwnsNested from the holder's [Owns] included.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size, StrategyThread thread) => _pool.AllocateNested(thread, size, false); [Deallocate] private bool D(void* p, StrategyThread thread) => _pool.DeallocateNested(thread, p, false); [Owns] private bool O(void* p) => _pool.OwnsNested(p); }",
        // Through the interface: any strategy may serve there, and the interface has no nested entries.
        Pool + Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy _fallback = new Impl(); [Allocate] private void* A(nuint size) => _fallback.Allocate(size); [Deallocate] private void D(void* p) => _fallback.Deallocate(p); }",
        // Outside the cores: a member of the holder that is not a core, and a class that is not a strategy.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } public void* Warm() => _pool.Allocate(16); }",
        // A helper no core reaches.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } private void* Helper() => _pool.Allocate(16); public void* Warm() => Helper(); }",
        Pool + "public sealed unsafe class User { private readonly Pool _pool = new(); public void* Get() => _pool.Allocate(16); }",
        // A scope outside the cores (a hot loop of the holder's own), and the holder's own scope.
        Pool + "[MemoryStrategy] public unsafe partial class Outer { private readonly Pool _pool = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } public void Warm() { var scope = _pool.ForCurrentThread(); for (int i = 0; i < 8; i++) scope.Deallocate(scope.Allocate(16)); } }",
        Pool + "[MemoryStrategy] public unsafe partial class Outer { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Owns] private bool O(void* p) => this.ForCurrentThread().Owns(p); public ThreadScope ForCurrentThread() => default; public readonly ref struct ThreadScope { public bool Owns(void* ptr) => false; } }",
        // A helper's nested calls, a helper no core reaches, a helper's call on its holder (typed as the strategy itself).
        Pool + "public sealed unsafe class Router { public readonly Pool Small = new(); public void* Route(StrategyThread t, nuint size) => Small.AllocateNested(t, size, false); public void* Warm() => Small.Allocate(16); } "
            + "[MemoryStrategy] public unsafe partial class Outer { private readonly Router _router = new(); [Allocate] private void* A(nuint size, StrategyThread t) => _router.Route(t, size); [Deallocate] private void D(void* p) { } public void* Warm() => _router.Warm(); }",
        Pool + "public sealed unsafe class Back { private readonly Pool _owner; public Back(Pool owner) => _owner = owner; public void* Again(nuint size) => _owner.Allocate(size); } "
            + "[MemoryStrategy] public sealed unsafe partial class Pool2 { private readonly Back _back = null!; [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_a_core_that_calls_an_inner_strategy_through_its_public_entry(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_nested_entries_interface_calls_or_calls_outside_the_cores(string code) => Verify.VerifyAsync(Sources.File(code));
}
