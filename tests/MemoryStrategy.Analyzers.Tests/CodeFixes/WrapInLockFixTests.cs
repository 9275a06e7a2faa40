using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>The MEM2003 fix (<c>WrapInLockFix</c>): wraps an unguarded access in the lock its <c>[GuardedBy]</c> names, alone and through Fix All.</summary>
public sealed class WrapInLockFixTests
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
}
