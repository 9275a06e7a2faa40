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

    private const string Rw = "private readonly ReaderWriterLockSlim _rw = new(); [GuardedBy(nameof(_rw))] private int _count; ";
    private const string Semaphore = "private readonly SemaphoreSlim _sem = new(1, 1); [GuardedBy(nameof(_sem))] private int _count; ";

    // `lock (_rw)` would take the monitor, which no EnterReadLock/EnterWriteLock holder takes: the fix uses the lock's own calls.
    [Fact]
    public Task MEM2003_takes_the_write_lock_of_a_reader_writer_lock_for_a_write() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy(Rw + "public void M()\n    {\n        {|MEM2003:_count|}++;\n    }"),
        Sources.Strategy(Rw + "public void M()\n    {\n        _rw.EnterWriteLock();\n        try\n        {\n            _count++;\n        }\n        finally\n        {\n            _rw.ExitWriteLock();\n        }\n    }"));

    [Fact]
    public Task MEM2003_takes_the_read_lock_of_a_reader_writer_lock_for_a_read() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy(Rw + "public void Set(int v) { _rw.EnterWriteLock(); try { _count = v; } finally { _rw.ExitWriteLock(); } }\n    public int M()\n    {\n        return {|MEM2003:_count|};\n    }"),
        Sources.Strategy(Rw + "public void Set(int v) { _rw.EnterWriteLock(); try { _count = v; } finally { _rw.ExitWriteLock(); } }\n    public int M()\n    {\n        _rw.EnterReadLock();\n        try\n        {\n            return _count;\n        }\n        finally\n        {\n            _rw.ExitReadLock();\n        }\n    }"));

    // Fixing the read alone must not leave the write in the same statement under the read lock.
    [Fact]
    public Task MEM2003_takes_the_write_lock_for_a_statement_that_reads_and_writes() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy(Rw + "public void M()\n    {\n        {|MEM2003:_count|} = {|MEM2003:_count|} + 1;\n    }"),
        Sources.Strategy(Rw + "public void M()\n    {\n        _rw.EnterWriteLock();\n        try\n        {\n            _count = _count + 1;\n        }\n        finally\n        {\n            _rw.ExitWriteLock();\n        }\n    }"));

    [Fact]
    public Task MEM2003_waits_on_a_mutex_semaphore() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy(Semaphore + "public void M()\n    {\n        {|MEM2003:_count|}++;\n    }"),
        Sources.Strategy(Semaphore + "public void M()\n    {\n        _sem.Wait();\n        try\n        {\n            _count++;\n        }\n        finally\n        {\n            _sem.Release();\n        }\n    }"));

    // An async member of an unsafe part cannot await (CS4004), and Wait() would block a thread in it: no fix.
    [Fact]
    public Task MEM2003_fix_is_not_offered_in_an_async_member_of_an_unsafe_context() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy(Semaphore + "public async Task M()\n    {\n        {|MEM2003:_count|}++;\n    }"),
        Sources.Strategy(Semaphore + "public async Task M()\n    {\n        {|MEM2003:_count|}++;\n    }"),
        iterations: 0);

    // await cannot appear in the strategy's unsafe part: the async member goes in a second, safe part of S.
    [Fact]
    public Task MEM2003_awaits_a_mutex_semaphore_in_an_async_method() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy(Semaphore) + "public sealed partial class S\n{\n    public async Task M()\n    {\n        await Task.Yield();\n        {|MEM2003:_count|}++;\n    }\n}\n",
        Sources.Strategy(Semaphore) + "public sealed partial class S\n{\n    public async Task M()\n    {\n        await Task.Yield();\n        await _sem.WaitAsync();\n        try\n        {\n            _count++;\n        }\n        finally\n        {\n            _sem.Release();\n        }\n    }\n}\n");

    // A System.Threading.Lock is meant for `lock`.
    [Fact]
    public Task MEM2003_locks_a_lock_object() => CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(
        Sources.Strategy("private readonly Lock _lock = new(); [GuardedBy(nameof(_lock))] private int _count; public void M()\n    {\n        {|MEM2003:_count|}++;\n    }"),
        Sources.Strategy("private readonly Lock _lock = new(); [GuardedBy(nameof(_lock))] private int _count; public void M()\n    {\n        lock (_lock)\n        {\n            _count++;\n        }\n    }"));

    // Locks taken some other way: `lock` would take a monitor their holders never take (or box a SpinLock), so no fix.
    [Theory]
    [InlineData("private readonly Mutex _guard = new();")]
    [InlineData("private readonly SemaphoreSlim _guard = new(2, 2);")]
    [InlineData("private SpinLock _guard = new(false);")]
    [InlineData("private readonly ManualResetEventSlim _guard = new();")]
    public Task MEM2003_is_not_fixed_for_a_lock_taken_by_its_own_methods(string guard)
    {
        string source = Sources.Strategy(guard + " [GuardedBy(nameof(_guard))] private int _count; public void M()\n    {\n        {|MEM2003:_count|}++;\n    }");
        return CodeFixVerifier<ThreadSafetyAnalyzer, WrapInLockFix>.VerifyAsync(source, source, iterations: 0);
    }
}
