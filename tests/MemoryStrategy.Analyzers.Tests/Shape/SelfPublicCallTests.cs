using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<SelfPublicCallAnalyzer>;

/// <summary>MEM1012: a core calls its own strategy's public entry points, re-entering the wrapper around itself.</summary>
public sealed class SelfPublicCallTests
{
    /// <summary>The public entries and the scope the generator would add (the analyzer tests run no generator).</summary>
    private const string Generated = """
            public void* Allocate(nuint size) => null;
            public void Deallocate(void* ptr) { }
            public bool Owns(void* ptr) => false;
            public StrategyStatus GetStatus() => StrategyStatus.Ready;
            public bool Validate() => true;
            public nuint MaxAllocationSize => 1;
            public StatusTracker StatusTracker => null!;
            public void Dispose() { }
            public ThreadScope ForCurrentThread() => default;
            public readonly ref struct ThreadScope
            {
                public void* Allocate(nuint size) => null;
                public void Deallocate(void* ptr) { }
            }
        """;

    private static string Strategy(string members) =>
        "[MemoryStrategy] public sealed unsafe partial class S : IMemoryStrategy {\n" + Generated + "\n" + members + "\n}";

    public static TheoryData<string> Reports => new()
    {
        // The matching core calls its own entry: recursion without end.
        Strategy("[Allocate] private void* A(nuint size) => {|MEM1012:Allocate(size)|}; [Deallocate] private void D(void* p) => {|MEM1012:this.Deallocate(p)|};"),
        // Through the interface, a helper, the own scope, and a validator on this.
        Strategy("[Allocate] private void* A(nuint size) => Helper(size); private void* Helper(nuint size) => {|MEM1012:((IMemoryStrategy)this).Allocate(size)|}; [Deallocate] private void D(void* p) => {|MEM1012:ForCurrentThread().Deallocate(p)|};"),
        Strategy("[Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Owns] private bool O(void* p) => {|MEM1012:StrategyValidator.ValidateDeallocation(this, p)|} || {|MEM1012:Owns(p)|};"),
        // Through a helper object handed this: its method, a helper it hands the holder on to, as the interface, a validator.
        "public static unsafe class Router { public static void* Route(S owner, nuint size) => {|MEM1012:owner.Allocate(size)|}; } " + Strategy("[Allocate] private void* A(nuint size) => Router.Route(this, size); [Deallocate] private void D(void* p) { }"),
        "public sealed unsafe class Relay { public void Free(IMemoryStrategy holder, void* p) => Release(p, holder); private static void Release(void* p, IMemoryStrategy h) => {|MEM1012:h.Deallocate(p)|}; } "
            + Strategy("private readonly Relay _relay = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) => _relay.Free(this, p);"),
        "public static unsafe class Checks { public static bool Mine(S s, void* p) => {|MEM1012:StrategyValidator.ValidateDeallocation(s, p)|}; } " + Strategy("[Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Owns] private bool O(void* p) => Checks.Mine(this, p);"),
        // Through a helper object the strategy makes with this: a field its constructor fills, an auto-property, a primary constructor's parameter.
        "public sealed unsafe class Router { private readonly S _owner; public Router(S owner) => _owner = owner; public void* Route(nuint size) => {|MEM1012:_owner.Allocate(size)|}; } "
            + Strategy("private readonly Router _router; public S() { _router = new Router(this); } [Allocate] private void* A(nuint size) => _router.Route(size); [Deallocate] private void D(void* p) { }"),
        "public sealed unsafe class Router { private IMemoryStrategy Owner { get; } public Router(int n, IMemoryStrategy owner) { Owner = owner; } public void Free(void* p) => {|MEM1012:Owner.Deallocate(p)|}; } "
            + Strategy("private readonly Router _router; public S() => _router = new(1, this); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) => _router.Free(p);"),
        "public sealed unsafe class Router(S owner) { public void* Route(nuint size) => {|MEM1012:owner.Allocate(size)|}; } "
            + Strategy("private readonly Router _router; public S() { _router = new Router(this); } [Allocate] private void* A(nuint size) => _router.Route(size); [Deallocate] private void D(void* p) { }"),
        // Through a policy behind an interface, handed this: its implementation calls back into the holder.
        "public interface IRefill { unsafe void* Refill(S owner, nuint size); } public sealed unsafe class Refiller : IRefill { public void* Refill(S owner, nuint size) => {|MEM1012:owner.Allocate(size)|}; } "
            + Strategy("private readonly IRefill _policy = new Refiller(); [Allocate] private void* A(nuint size) => _policy.Refill(this, size); [Deallocate] private void D(void* p) { }"),
    };

    public static TheoryData<string> NearMisses => new()
    {
        // Re-entrant validation is fine; so is the own entry called from outside the cores ([Validate], a public method).
        Strategy("[Allocate] private void* A(nuint size) => StrategyValidator.ValidateStrategy(this) ? null : null; [Deallocate] private void D(void* p) { } [Validate] private bool V() => Validate(); public void* Warm() => Allocate(16);"),
        // Another strategy's entry (that is MEM1011's) and the validator on another strategy.
        Strategy("private readonly IMemoryStrategy _other = null!; [Allocate] private void* A(nuint size) => _other.Allocate(size); [Deallocate] private void D(void* p) { if (StrategyValidator.ValidateDeallocation(_other, p)) _other.Deallocate(p); }"),
        // A helper handed another strategy of the same type, or handed this in another parameter than the one it calls.
        "public static unsafe class Router { public static void* Route(S other, nuint size) => other.Allocate(size); } " + Strategy("private readonly S _next = null!; [Allocate] private void* A(nuint size) => Router.Route(_next, size); [Deallocate] private void D(void* p) { }"),
        "public static unsafe class Router { public static void* Route(S owner, S other, nuint size) => other.Allocate(size); } " + Strategy("private readonly S _next = null!; [Allocate] private void* A(nuint size) => Router.Route(this, _next, size); [Deallocate] private void D(void* p) { }"),
        // A helper made with another strategy, or also given one from outside, or whose field is assigned something else too.
        "public sealed unsafe class Router { private readonly S _owner; public Router(S owner) => _owner = owner; public void* Route(nuint size) => _owner.Allocate(size); } "
            + Strategy("private readonly S _next = null!; private readonly Router _router; public S() { _router = new Router(_next); } [Allocate] private void* A(nuint size) => _router.Route(size); [Deallocate] private void D(void* p) { }"),
        "public sealed unsafe class Router { private readonly S _owner; public Router(S owner) => _owner = owner; public void* Route(nuint size) => _owner.Allocate(size); } "
            + Strategy("private readonly Router _router; public S() { _router = new Router(this); } public S(Router router) { _router = router; } [Allocate] private void* A(nuint size) => _router.Route(size); [Deallocate] private void D(void* p) { }"),
        "public sealed unsafe class Router { private S _owner; public Router(S owner) => _owner = owner; public void Retarget(S other) => _owner = other; public void* Route(nuint size) => _owner.Allocate(size); } "
            + Strategy("private readonly Router _router; public S() { _router = new Router(this); } [Allocate] private void* A(nuint size) => _router.Route(size); [Deallocate] private void D(void* p) { }"),
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_a_core_that_calls_its_own_public_entry(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_validation_or_calls_outside_the_cores(string code) => Verify.VerifyAsync(Sources.File(code));
}
