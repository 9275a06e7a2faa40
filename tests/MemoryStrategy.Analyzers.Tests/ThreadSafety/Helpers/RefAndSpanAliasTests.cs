using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// References that stand for a field: a span over a field's array (<c>Span&lt;int&gt; s = _arr; s[0]++</c>), a
/// <c>ref</c>-returning property or method (<c>ref int R =&gt; ref _r; R++</c>), and the elements of an
/// <c>[InlineArray]</c> struct held in a field (<c>_buf[1]++</c>). What is done through them is done to the field.
/// </summary>
public sealed class RefAndSpanAliasTests
{
    private const string Buf = "[System.Runtime.CompilerServices.InlineArray(4)] public struct Buf4 { private int _e0; }";

    public static TheoryData<string, string> Reports => new()
    {
        // a span over the field's array
        { "private readonly int[] _arr = new int[8]; public void Use() { Span<int> s = _arr; {|MEM2001:s[0]++|}; }", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use() { var s = _arr.AsSpan(); {|MEM2002:s[1] = 3|}; }", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use() { {|MEM2002:_arr.AsSpan().Fill(0)|}; }", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use() { {|MEM2001:_arr.AsSpan()[2] += 1|}; }", string.Empty },
        // a ref-returning property and method of the strategy
        { "private int _r; private ref int R => ref _r; public void Use() { {|MEM2001:R++|}; }", string.Empty },
        { "private readonly int[] _slots = new int[4]; private ref int At(int i) => ref _slots[i]; public void Use(int i) { {|MEM2002:At(i) = 7|}; }", string.Empty },
        // a helper's ref-returning property
        { "private readonly Cell _c = new(); public void Use() { {|MEM2001:_c.Value++|}; }", "public sealed class Cell { private int _v; public ref int Value => ref _v; }" },
        // a ref local bound to a ref return: what is done through it is done to the field returned into
        { "private int _r; private ref int R => ref _r; public void Use() { ref int r = ref R; {|MEM2001:r++|}; }", string.Empty },
        { "private readonly Slot[] _slots = new Slot[4]; private ref Slot At(int i) => ref _slots[i]; public void Use(int i) { ref Slot s = ref At(i); {|MEM2001:s.Count++|}; }", "public struct Slot { public int Count; }" },
        { "private readonly Cell _c = new(); public void Use() { ref int v = ref _c.Value; {|MEM2002:v = 3|}; }", "public sealed class Cell { private int _v; public ref int Value => ref _v; }" },
        // an element of an [InlineArray] struct field
        { "private Buf4 _buf; public void Use() { {|MEM2001:_buf[1]++|}; }", Buf },
        { "private Buf4 _buf; public void Use() { {|MEM2002:_buf[0] = 5|}; }", Buf },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // a span over the caller's own array
        { "public int Use() { Span<int> s = new int[4]; s[0]++; return s[0]; }", string.Empty },
        { "public int Use() { Span<int> s = stackalloc int[4]; s[0]++; return s[0]; }", string.Empty },
        // reads through a span or a ref return of fields that never change once shared
        { "private readonly int[] _arr = { 1, 2 }; public int Use() { ReadOnlySpan<int> s = _arr; return s[0]; }", string.Empty },
        { "private int _r = 4; private ref int R => ref _r; public int Use() => R;", string.Empty },
        // writes through them under a lock
        { "private readonly object _gate = new(); private readonly int[] _arr = new int[8]; public void Use() { lock (_gate) { Span<int> s = _arr; s[0]++; } }", string.Empty },
        { "private readonly object _gate = new(); private int _r; private ref int R => ref _r; public void Use() { lock (_gate) { R++; } }", string.Empty },
        // a ref return into the caller's own object
        { "public int Use() { var c = new Cell(); c.Value++; return c.Value; }", "public sealed class Cell { private int _v; public ref int Value => ref _v; }" },
        { "public int Use() { var c = new Cell(); ref int v = ref c.Value; v++; return v; }", "public sealed class Cell { private int _v; public ref int Value => ref _v; }" },
        { "private readonly object _gate = new(); private int _r; private ref int R => ref _r; public void Use() { lock (_gate) { ref int r = ref R; r++; } }", string.Empty },
        // an [InlineArray] local is the caller's own
        { "public int Use() { Buf4 b = default; b[1]++; return b[1]; }", Buf },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_writes_through_spans_and_references(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_own_or_protected_memory(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
