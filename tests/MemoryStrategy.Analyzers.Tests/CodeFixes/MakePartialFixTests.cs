using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = CodeFixVerifier<StrategyShapeAnalyzer, MakePartialFix>;

/// <summary>The MEM1001 fix adds partial in the right place, on every type that lacks it.</summary>
public sealed class MakePartialFixTests
{
    private const string Cores = "[Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { }";

    [Fact]
    public Task Adds_partial_after_the_other_modifiers() => Verify.VerifyAsync(
        Sources.File("[MemoryStrategy] public sealed unsafe class {|MEM1001:S|} { " + Cores + " }"),
        Sources.File("[MemoryStrategy] public sealed unsafe partial class S { " + Cores + " }"));

    [Fact]
    public Task Adds_partial_to_a_type_without_modifiers() => Verify.VerifyAsync(
        Sources.File("[MemoryStrategy]\nclass {|MEM1001:S|}\n{\n    " + UnsafeCores + "\n}"),
        Sources.File("[MemoryStrategy]\npartial class S\n{\n    " + UnsafeCores + "\n}"));

    private const string UnsafeCores = "[Allocate] private unsafe void* A(nuint size) => null; [Deallocate] private unsafe void D(void* p) { }";

    [Fact]
    public Task Fix_all_makes_the_strategy_and_its_containers_partial() => Verify.VerifyAsync(
        Sources.File("public class {|MEM1001:Outer|} { public class {|MEM1001:Middle|} { [MemoryStrategy] internal unsafe class {|MEM1001:S|} { " + Cores + " } } }"),
        Sources.File("public partial class Outer { public partial class Middle { [MemoryStrategy] internal unsafe partial class S { " + Cores + " } } }"));
}
