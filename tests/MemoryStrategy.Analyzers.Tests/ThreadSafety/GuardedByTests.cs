using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>MEM2003: [GuardedBy] fields are only touched while holding their lock.</summary>
public sealed class GuardedByTests
{
    private const string Gate = "private readonly object _gate = new(); [GuardedBy(nameof(_gate))] private int _count; ";

    public static TheoryData<string> Reports => new()
    {
        Gate + "public void Hit() { {|MEM2003:_count|}++; }",
        Gate + "public int Count => {|MEM2003:_count|};",
        Gate + "private readonly object _other = new(); public void Hit() { lock (_other) { {|MEM2003:_count|} = 1; } }",
        Gate + "public void Hit() => Interlocked.Increment(ref {|MEM2003:_count|});",
        Gate + "private void Bump() => {|MEM2003:_count|}++; public void A() { lock (_gate) Bump(); } public void B() => Bump();",
        Gate + "public void Hit() { Monitor.Enter(_gate); _count++; Monitor.Exit(_gate); {|MEM2003:_count|} = 0; }",
        Gate + "public void Hit() { lock (_gate) { Task.Run(() => {|MEM2003:_count|}++); } }",
        "private readonly object _gate = new(); [GuardedBy(nameof(_gate))] private int Total { get; set; } public void Hit() { {|MEM2003:Total|} = 1; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        Gate + "public void Hit() { lock (_gate) { _count++; } }",
        Gate + "private void Bump() => _count++; public void Hit() { lock (_gate) Bump(); }",
        Gate + "public S() { _count = 5; }",
        "private readonly Lock _lock = new(); [GuardedBy(nameof(_lock))] private int _n; public void Hit() { using (_lock.EnterScope()) _n++; }",
        Gate + "public void Hit() { Monitor.Enter(_gate); try { _count++; } finally { Monitor.Exit(_gate); } }",
        Gate + "public string Name => nameof(_count);",
        Gate + "public void Hit() { lock (_gate) { Run(() => _count++); } } private static void Run(Action a) => a();",
        Gate + "public int Read() { lock (_gate) { return Peek(); } } private int Peek() => _count;",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_access_without_the_named_lock(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_access_under_the_named_lock(string members) => Verify.VerifyAsync(Sources.Strategy(members));

    [Fact]
    public async Task The_message_names_the_access_the_field_and_the_lock()
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(
            Sources.Strategy(Gate + "public void Hit() { _count = 1; } public int Read() => _count;"), new ThreadSafetyAnalyzer());

        Assert.Equal(
            ["Reading '_count' requires holding '_gate'", "Writing '_count' requires holding '_gate'"],
            diagnostics.Where(d => d.Id == "MEM2003").Select(d => d.GetMessage()).Order());
    }
}
