using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>The MEM2003, MEM3002, MEM3003 and MEM3005 fixes, each once alone and once through Fix All.</summary>
public sealed class OtherFixTests
{
    private const string Gate = "private readonly object _gate = new(); [GuardedBy(nameof(_gate))] private int _count; ";

    [Fact]
    public Task MEM2003_wraps_the_statement_in_the_named_lock() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy(Gate + "public void M()\n    {\n        {|MEM2003:_count|}++;\n    }"),
        Sources.Strategy(Gate + "public void M()\n    {\n        lock (_gate)\n        {\n            _count++;\n        }\n    }"));

    [Fact]
    public Task MEM2003_fix_all_takes_the_lock_once_per_statement() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy(Gate + "public int M()\n    {\n        {|MEM2003:_count|} = {|MEM2003:_count|} + 1;\n        return {|MEM2003:_count|};\n    }"),
        Sources.Strategy(Gate + "public int M()\n    {\n        lock (_gate)\n        {\n            _count = _count + 1;\n        }\n        lock (_gate)\n        {\n            return _count;\n        }\n    }"));

    [Fact]
    public Task MEM3002_adds_track_allocations() => CodeFixVerifier<DeallocationValidationAnalyzer, TrackAllocationsFix>.VerifyAsync(
        Sources.File("[{|MEM3002:MemoryStrategy|}] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }"),
        Sources.File("[MemoryStrategy(TrackAllocations = true)] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }"));

    [Fact]
    public Task MEM3002_fix_all_turns_false_into_true_and_extends_argument_lists() => CodeFixVerifier<DeallocationValidationAnalyzer, TrackAllocationsFix>.VerifyAsync(
        Sources.File("[{|MEM3002:MemoryStrategy(TrackAllocations = false)|}] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }\n"
            + "[{|MEM3002:MemoryStrategy(MaxAllocationSize = 64)|}] public unsafe partial class T { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }"),
        Sources.File("[MemoryStrategy(TrackAllocations = true)] public unsafe partial class S { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }\n"
            + "[MemoryStrategy(MaxAllocationSize = 64, TrackAllocations = true)] public unsafe partial class T { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } }"));

    [Fact]
    public Task MEM3003_inserts_the_validation_guard() => CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(
        Sources.Caller("void M(IMemoryStrategy s)\n    {\n        void* p = {|MEM3003:s.Allocate(8)|};\n    }"),
        Sources.Caller("void M(IMemoryStrategy s)\n    {\n        if (!StrategyValidator.ValidateStrategy(s))\n            return;\n        void* p = s.Allocate(8);\n    }"));

    [Fact]
    public Task MEM3003_fix_all_guards_each_strategy_with_a_value_that_fits_the_method() => CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(
        Sources.Caller("void* M(IMemoryStrategy s)\n    {\n        return {|MEM3003:s.Allocate(8)|};\n    }\n    int N(IMemoryStrategy t, void* p)\n    {\n        {|MEM3003:t.Deallocate(p)|};\n        return 1;\n    }"),
        Sources.Caller("void* M(IMemoryStrategy s)\n    {\n        if (!StrategyValidator.ValidateStrategy(s))\n            return null;\n        return s.Allocate(8);\n    }\n    int N(IMemoryStrategy t, void* p)\n    {\n        if (!StrategyValidator.ValidateStrategy(t))\n            throw new global::System.InvalidOperationException(\"The memory strategy failed validation.\");\n        t.Deallocate(p);\n        return 1;\n    }"));

    [Fact]
    public Task MEM3005_inserts_a_null_check() => CodeFixVerifier<UncheckedAllocationAnalyzer, NullCheckFix>.VerifyAsync(
        Sources.Caller("bool M(IMemoryStrategy s)\n    {\n        byte* p = (byte*)s.Allocate(8);\n        {|MEM3005:p|}[0] = 1;\n        return true;\n    }"),
        Sources.Caller("bool M(IMemoryStrategy s)\n    {\n        byte* p = (byte*)s.Allocate(8);\n        if (p == null)\n            return false;\n        p[0] = 1;\n        return true;\n    }"));

    [Fact]
    public Task MEM3005_fix_all_checks_each_pointer_once() => CodeFixVerifier<UncheckedAllocationAnalyzer, NullCheckFix>.VerifyAsync(
        Sources.Caller("void M(IMemoryStrategy s)\n    {\n        byte* p = (byte*)s.Allocate(8);\n        byte* q = (byte*)s.Allocate(8);\n        *{|MEM3005:p|} = *{|MEM3005:q|};\n    }"),
        Sources.Caller("void M(IMemoryStrategy s)\n    {\n        byte* p = (byte*)s.Allocate(8);\n        byte* q = (byte*)s.Allocate(8);\n        if (p == null)\n            return;\n        if (q == null)\n            return;\n        *p = *q;\n    }"));
}
