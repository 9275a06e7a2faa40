using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<InnerStrategyAnalyzer>;

/// <summary>MEM1009: a strategy that holds strategies disposes them in its cleanup.</summary>
public sealed class InnerStrategyTests
{
    /// <summary>A strategy type to hold (hand-written: the analyzer tests run no generator).</summary>
    private const string Inner = Sources.Implementation + "\n";

    public static TheoryData<string> Reports => new()
    {
        // No cleanup at all.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl {|MEM1009:_inner|} = new(); [Allocate] private void* A(nuint size) => _inner.Allocate(size); [Deallocate] private void D(void* p) => _inner.Deallocate(p); }",
        // A cleanup that forgets one of two, held through the interface and in an array.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy {|MEM1009:_fallback|} = new Impl(); private readonly Impl[] _classes = [new()]; [Allocate] private void* A(nuint size) => _fallback.Allocate(size); [Deallocate] private void D(void* p) => _fallback.Deallocate(p); [Cleanup] private void C() { foreach (Impl pool in _classes) pool.Dispose(); } }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] {|MEM1009:_classes|} = [new()]; [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Cleanup] private void C() { } }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        // Disposed in the cleanup: directly, through a loop over the array, through a helper call on the field.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _inner = new(); [Allocate] private void* A(nuint size) => _inner.Allocate(size); [Deallocate] private void D(void* p) => _inner.Deallocate(p); [Cleanup] private void C() => _inner.Dispose(); }",
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] _classes = [new()]; private readonly IMemoryStrategy _fallback = new Impl(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } [Cleanup] private void C() { foreach (Impl pool in _classes) pool.Dispose(); _fallback.Dispose(); } }",
        // Fields that hold no strategy, static fields, and classes that are not strategies.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly object _gate = new(); private static readonly Impl s_shared = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }",
        Inner + "public sealed class Holder { private readonly Impl _inner = new(); }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_an_inner_strategy_the_cleanup_does_not_dispose(string code) => Verify.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_inner_strategies_the_cleanup_disposes_or_fields_that_hold_none(string code) => Verify.VerifyAsync(Sources.File(code));
}
