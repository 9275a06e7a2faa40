using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// An array handed to a call that stores into its elements (<c>Fill.Zero(_arr)</c> where <c>Zero</c> writes
/// <c>a[0] = 0</c>, <c>Array.Clear(_arr)</c>, the destination of a copy, a <c>Span&lt;T&gt;</c> parameter) is written at
/// the call, with the caller's locks: MEM2002 at the argument, as <c>_arr[0] = 0</c> would be.
/// </summary>
public sealed class ArrayArgumentTests
{
    private const string Fill = "public static class Fill { public static void Zero(int[] a) { a[0] = 0; } public static int Sum(int[] a) => a[0] + a[1]; }";
    private const string SpanFill = "public static class Fill { public static void Zero(Span<int> s) { s[0] = 0; } public static void All(Span<int> s) => s.Fill(1); public static int First(ReadOnlySpan<int> s) => s[0]; }";

    public static TheoryData<string, string> Reports => new()
    {
        // a static helper of another type
        { "private readonly int[] _arr = new int[8]; public void Use() => Fill.Zero({|MEM2002:_arr|});", Fill },
        // the strategy's own helper, with a compound store
        { "private readonly int[] _arr = new int[8]; public void Use() => Bump({|MEM2002:_arr|}, 1); private static void Bump(int[] a, int i) { a[i] += 1; }", string.Empty },
        // a member of a struct element
        { "private readonly Slot[] _slots = new Slot[4]; public void Use() => Slots.Take({|MEM2002:_slots|});", "public struct Slot { public int Count; } public static class Slots { public static void Take(Slot[] s) { s[0].Count--; } }" },
        // handed on through a second method
        { "private readonly int[] _arr = new int[8]; public void Use() => Twice.Zero({|MEM2002:_arr|});", "public static class Twice { public static void Zero(int[] a) { Fill.Zero(a); } } " + Fill },
        // through a local copy of the field
        { "private readonly int[] _arr = new int[8]; public void Use() { var a = _arr; Fill.Zero({|MEM2002:a|}); }", Fill },
        // a span parameter: the array converted, or viewed with AsSpan
        { "private readonly int[] _arr = new int[8]; public void Use() => Fill.Zero({|MEM2002:_arr|});", SpanFill },
        { "private readonly int[] _arr = new int[8]; public void Use() => Fill.All({|MEM2002:_arr.AsSpan()|});", SpanFill },
        // the helper hands its parameter's view to the library
        { "private readonly int[] _arr = new int[8]; public void Use() => Zeros.Clear({|MEM2002:_arr|});", "public static class Zeros { public static void Clear(int[] a) => a.AsSpan().Clear(); }" },
        // the library's writers
        { "private readonly int[] _arr = new int[8]; public void Use() => Array.Clear({|MEM2002:_arr|});", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use() => Array.Fill({|MEM2002:_arr|}, 1);", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use() => Array.Sort({|MEM2002:_arr|});", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use(int[] source) => Array.Copy(source, {|MEM2002:_arr|}, 4);", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use(int[] source) => source.CopyTo({|MEM2002:_arr|}, 0);", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use(int[] source) => source.AsSpan().CopyTo({|MEM2002:_arr|});", string.Empty },
        { "private readonly int[] _arr = new int[8]; public void Use() => {|MEM2002:_arr.AsSpan()|}.Sort();", string.Empty },
        { "private readonly byte[] _bytes = new byte[8]; public void Use() => Random.Shared.NextBytes({|MEM2002:_bytes.AsSpan()|});", string.Empty },
        // the array a read fills
        { "private readonly byte[] _bytes = new byte[8]; public void Use() => Random.Shared.NextBytes({|MEM2002:_bytes|});", string.Empty },
        { "private readonly byte[] _bytes = new byte[8]; public int Use(System.IO.Stream stream) => stream.Read({|MEM2002:_bytes|}, 0, 8);", string.Empty },
        { "private readonly byte[] _bytes = new byte[8]; public int Use() => System.Text.Encoding.UTF8.GetBytes(\"ab\", 0, 2, {|MEM2002:_bytes|}, 0);", string.Empty },
        // a helper's own array, handed to the library
        { "private readonly Table _table = new(); public void Use() => _table.Reset();", "public sealed class Table { private readonly long[] _counts = new long[4]; public void Reset() => Array.Clear({|MEM2002:_counts|}); }" },
        // written under a lock in one place and without it in another, as a store into an element would be
        { "private readonly object _gate = new(); private readonly int[] _arr = new int[8]; public void Use() { lock (_gate) { Fill.Zero(_arr); } } public void Reset() => Fill.Zero({|MEM2002:_arr|});", Fill },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // helpers and library calls that only read the elements
        { "private readonly int[] _arr = new int[8]; public int Use() => Fill.Sum(_arr);", Fill },
        { "private readonly int[] _arr = new int[8]; public int Use() => Fill.First(_arr);", SpanFill },
        { "private readonly int[] _arr = new int[8]; public int Use() => _arr.AsSpan().IndexOf(3) + Array.IndexOf(_arr, 3);", string.Empty },
        { "private readonly int[] _arr = new int[8]; public int[] Use() { var copy = new int[8]; _arr.CopyTo(copy, 0); Array.Copy(_arr, copy, 8); return copy; }", string.Empty },
        { "private readonly int[] _arr = new int[8]; public bool Use(int[] other) => _arr.AsSpan().SequenceEqual(other);", string.Empty },
        // the library reading the array
        { "private readonly byte[] _bytes = new byte[8]; public void Use(System.IO.Stream stream) => stream.Write(_bytes, 0, 8);", string.Empty },
        { "private readonly byte[] _bytes = new byte[8]; public string Use() => System.Text.Encoding.UTF8.GetString(_bytes) + Convert.ToBase64String(_bytes);", string.Empty },
        // an atomic store into the element is no race
        { "private readonly int[] _arr = new int[8]; public void Use() => Bump(_arr); private static void Bump(int[] a) => Interlocked.Increment(ref a[0]);", string.Empty },
        // written under the lock everywhere
        { "private readonly object _gate = new(); private readonly int[] _arr = new int[8]; public void Use() { lock (_gate) { Fill.Zero(_arr); } } public int Read() { lock (_gate) { return _arr[0]; } }", Fill },
        // an array of the caller's own
        { "public int Use() { var a = new int[4]; Fill.Zero(a); Array.Clear(a); return a[1]; }", Fill },
        // written by the constructor only
        { "private readonly int[] _arr = new int[8]; public S() { Array.Fill(_arr, 1); } public int Read() => _arr[0];", string.Empty },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_arrays_written_by_the_call_they_are_passed_to(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_arrays_only_read_or_protected(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
