using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// A helper holding a reference back to the strategy that owns it and writing the strategy's fields through it
/// (<c>_owner.Count++</c>): the strategy's contract covers its methods, not its fields written from outside.
/// </summary>
public sealed class BackReferenceTests
{
    public static TheoryData<string, string> Reports => new()
    {
        // a top-level helper given the strategy in its constructor
        { "internal int Owner; private readonly BackRef _b; public S() { _b = new BackRef(this); } public void Use() => _b.Go();",
          "public sealed class BackRef { private readonly S _o; public BackRef(S o) { _o = o; } public void Go() { {|MEM2001:_o.Owner++|}; } }" },
        // a nested helper with a primary constructor
        { "private int _owner; private readonly Part _part; public S() { _part = new Part(this); } public void Use() => _part.Go(); private sealed class Part(S owner) { private readonly S _o = owner; public void Go() { {|MEM2001:_o._owner++|}; } }", string.Empty },
        // a nested helper calling the strategy's private method through its back-reference
        { "private int _misses; private void Miss() { {|MEM2001:_misses++|}; } private readonly Part _part; public S() { _part = new Part(this); } public void Use() => _part.Go(); private sealed class Part(S owner) { public void Go() => owner.Miss(); }", string.Empty },
        // a plain store, and an auto-property
        { "internal object? Last; private readonly BackRef _b; public S() { _b = new BackRef(this); } public void Use(object x) => _b.Go(x);",
          "public sealed class BackRef(S o) { public void Go(object x) { {|MEM2002:o.Last = x|}; } }" },
        { "internal int Hits { get; set; } private readonly BackRef _b; public S() { _b = new BackRef(this); } public void Use() => _b.Go();",
          "public sealed class BackRef(S o) { public void Go() { {|MEM2001:o.Hits++|}; } }" },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // the strategy's lock, taken through the back-reference, is the strategy's lock
        { "internal readonly object Gate = new(); internal int Owner; private readonly BackRef _b; public S() { _b = new BackRef(this); } public void Use() => _b.Go(); public void Reset() { lock (Gate) { Owner = 0; } }",
          "public sealed class BackRef(S o) { public void Go() { lock (o.Gate) { o.Owner++; } } }" },
        // reading what never changes once shared
        { "internal readonly int Size = 8; private readonly BackRef _b; public S() { _b = new BackRef(this); } public int Use() => _b.Go();",
          "public sealed class BackRef(S o) { public int Go() => o.Size * 2; }" },
        // calling the strategy's methods: thread-safe by contract
        { "private long _n; public void Bump() => Interlocked.Increment(ref _n); private readonly BackRef _b; public S() { _b = new BackRef(this); } public void Use() => _b.Go();",
          "public sealed class BackRef(S o) { public void Go() { o.Bump(); } }" },
        // the strategy's private method, called through the back-reference under the strategy's lock only
        { "private readonly object _gate = new(); private int _misses; private void Miss() { _misses++; } private readonly Part _part; public S() { _part = new Part(this); } public void Use() => _part.Go(); public int Read() { lock (_gate) { return _misses; } } private sealed class Part(S owner) { public void Go() { lock (owner._gate) { owner.Miss(); } } }", string.Empty },
        // another strategy the caller created itself
        { "internal int Owner; public int Use() { var mine = new S(); mine.Owner++; return mine.Owner; }", string.Empty },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_strategy_fields_written_through_a_back_reference(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_protected_read_only_or_contract_uses(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
