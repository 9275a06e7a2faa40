using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using VerifyAttached = AnalyzerVerifier<InnerStrategyAttachAnalyzer>;
using VerifyDisposed = AnalyzerVerifier<InnerStrategyAnalyzer>;

/// <summary>
/// MEM1009 and MEM1010 on a holder that keeps the same inner strategies in fields and in a collection field filled
/// from them: attaching or disposing them one way covers the other.
/// </summary>
public sealed class InnerStrategyAliasTests
{
    private const string Inner = Sources.Implementation + "\n";

    private const string Cores = "[Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { }";

    /// <summary>The two fields every holder below keeps its strategies in, besides its collection.</summary>
    private const string Fields = "private readonly Impl _small; private readonly Impl _large; ";

    private const string AttachFields = "_small.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"small\"); _large.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"large\"); ";

    private const string AttachEach = "foreach (var s in _inner) s.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"inner\"); ";

    private const string DisposeFields = "[Cleanup] private void C() { _small.Dispose(); _large.Dispose(); }";

    private const string DisposeEach = "[Cleanup] private void C() { foreach (var s in _inner) s.Dispose(); }";

    private static string Holder(string collection, string constructor, string cleanup) =>
        Inner + "[MemoryStrategy] public unsafe partial class Outer { " + Fields + collection + " public Outer() { _small = new Impl(); _large = new Impl(); "
        + constructor + " } " + Cores + " " + cleanup + " }";

    /// <summary>Correct holders: each strategy attached once and disposed once, through the fields or through the collection.</summary>
    public static TheoryData<string> Correct => new()
    {
        // A list filled from the fields: attached through the fields, disposed through the list, and the other way round.
        Holder("private readonly List<IMemoryStrategy> _inner = [];", AttachFields + "_inner.Add(_small); _inner.Add(_large);", DisposeEach),
        Holder("private readonly List<IMemoryStrategy> _inner = [];", "_inner.Add(_small); _inner.Add(_large); " + AttachEach, DisposeFields),
        Holder("private readonly List<IMemoryStrategy> _inner = [];", "_inner.Add(_small); _inner.Add(_large); " + AttachEach, DisposeEach), // the MEM1009 page's example
        Holder("private readonly List<IMemoryStrategy> _inner = new();", AttachFields + "_inner.Add(_small); _inner.Insert(0, _large);", DisposeFields),
        // An array initialised from the fields, written as an array creation, a collection expression, and filled element by element.
        Holder("private readonly IMemoryStrategy[] _inner;", "_inner = new IMemoryStrategy[] { _small, _large }; " + AttachEach, DisposeFields),
        Holder("private readonly IMemoryStrategy[] _inner;", AttachFields + "_inner = [_small, _large];", DisposeEach),
        Holder("private readonly IMemoryStrategy[] _inner = new IMemoryStrategy[2];", AttachFields + "_inner[0] = _small; _inner[1] = _large;", DisposeFields),
        // A list's collection initializer, a dictionary filled under keys, an immutable array grown from the fields.
        Holder("private readonly List<IMemoryStrategy> _inner;", AttachFields + "_inner = new List<IMemoryStrategy> { _small, _large };", DisposeEach),
        Holder("private readonly Dictionary<int, Impl> _inner = new();", AttachFields + "_inner[16] = _small; _inner.Add(32, _large);", DisposeFields),
        Holder("private System.Collections.Immutable.ImmutableArray<Impl> _inner = [];", AttachFields + "_inner = _inner.Add(_small); _inner = _inner.Add(_large);", DisposeEach),
        // A primary constructor's parameter kept in a field and in the array.
        Inner + "[MemoryStrategy] public unsafe partial class Outer(Impl small) { private readonly Impl _small = small; private readonly Impl[] _inner = [small]; "
            + "public void Attach() => _small.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"small\"); " + Cores + " " + DisposeEach + " }",
        // Locals stored into a field and into the list: attached as locals, disposed through the list.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { " + Fields + "private readonly List<Impl> _inner = []; public Outer() { var small = new Impl(); var large = new Impl(); "
            + "small.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"small\"); large.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"large\"); _small = small; _large = large; _inner.Add(small); _inner.Add(large); } "
            + Cores + " " + DisposeEach + " }",
        // Auto-properties filled into the list; the list read by the cores as well (a count, an element, a foreach).
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private Impl Small { get; } = new(); private Impl Large { get; } = new(); private readonly List<IMemoryStrategy> _inner = []; "
            + "public Outer() { Small.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"small\"); Large.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"large\"); _inner.Add(Small); _inner.Add(Large); } "
            + "[Allocate] private void* A(nuint size) { if (_inner.Count == 0) return null; foreach (var s in _inner) if (s.MaxAllocationSize >= size) return s.Allocate(size); return _inner[0].Allocate(size); } "
            + "[Deallocate] private void D(void* p) { } [Cleanup] private void C() { Small.Dispose(); Large.Dispose(); } }",
    };

    /// <summary>MEM1010 still fires where an element of the collection or a field is attached by neither.</summary>
    public static TheoryData<string> NotAttached => new()
    {
        // Only one of the two fields attached: the other and the list, which holds it, are not.
        Inner + "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _small; private readonly Impl {|MEM1010:_large|}; private readonly List<IMemoryStrategy> {|MEM1010:_inner|} = []; "
            + "public Outer() { _small = new Impl(); _large = new Impl(); _small.StatusTracker.AttachTo(new StatusTracker(\"o\"), \"small\"); _inner.Add(_small); _inner.Add(_large); } " + Cores + " " + DisposeFields + " }",
        // The list holds a strategy of its own besides the fields' (in an element, an initializer, a range of unknown origin).
        Holder("private readonly List<IMemoryStrategy> {|MEM1010:_inner|} = [];", AttachFields + "_inner.Add(_small); _inner.Add(_large); _inner.Add(new Impl());", DisposeEach),
        Holder("private readonly IMemoryStrategy[] {|MEM1010:_inner|};", AttachFields + "_inner = [_small, _large, new Impl()];", DisposeEach),
        Holder("private readonly List<IMemoryStrategy> {|MEM1010:_inner|} = [new Impl()];", AttachFields + "_inner.Add(_small); _inner.Add(_large);", DisposeEach),
        Holder("private readonly List<IMemoryStrategy> {|MEM1010:_inner|} = [];", AttachFields + "_inner.Add(_small); _inner.AddRange(Make());", DisposeEach + " private static IMemoryStrategy[] Make() => [new Impl()];"),
        // The list handed to a helper, which may add to it: its strategies cannot all be traced to the fields.
        Holder("private readonly List<IMemoryStrategy> {|MEM1010:_inner|} = [];", AttachFields + "_inner.Add(_small); Fill(_inner);", DisposeEach + " private static void Fill(List<IMemoryStrategy> list) => list.Add(new Impl());"),
    };

    /// <summary>MEM1009 still fires where a field or the collection holds a strategy the cleanup reaches by neither.</summary>
    public static TheoryData<string> NotDisposed => new()
    {
        // The cleanup disposes one field, not the list: the other field and the list, which holds it, are not disposed.
        Holder("private readonly List<IMemoryStrategy> {|MEM1009:_inner|} = [];", AttachFields + "_inner.Add(_small); _inner.Add(_large);", "[Cleanup] private void C() => _small.Dispose();")
            .Replace("private readonly Impl _large;", "private readonly Impl {|MEM1009:_large|};"),
        // The list holds a strategy of its own besides the fields': disposing the fields leaves it.
        Holder("private readonly List<IMemoryStrategy> {|MEM1009:_inner|} = [];", AttachEach + "_inner.Add(_small); _inner.Add(_large); _inner.Add(new Impl());", DisposeFields),
        Holder("private readonly List<IMemoryStrategy> {|MEM1009:_inner|};", AttachEach + "_inner = new List<IMemoryStrategy> { _small, _large, new Impl() };", DisposeFields),
        Holder("private readonly Dictionary<int, IMemoryStrategy> {|MEM1009:_inner|} = new();", AttachFields + "_inner[16] = _small; _inner.TryAdd(32, _large); _inner.GetOrAdd(64, _ => new Impl());", DisposeFields)
            .Replace("Dictionary<", "System.Collections.Concurrent.ConcurrentDictionary<"),
        Holder("private readonly IMemoryStrategy[] {|MEM1009:_inner|};", AttachEach + "_inner = [_small, .. Make()];", "[Cleanup] private void C() { _small.Dispose(); _large.Dispose(); } private static IMemoryStrategy[] Make() => [new Impl()];"),
        // The list escapes to a local, through which anything may be added.
        Holder("private readonly List<IMemoryStrategy> {|MEM1009:_inner|} = [];", AttachEach + "_inner.Add(_small); var list = _inner; list.Add(new Impl());", DisposeFields),
        // No cleanup at all: neither way counts.
        Holder("private readonly List<IMemoryStrategy> {|MEM1009:_inner|} = [];", AttachFields + "_inner.Add(_small); _inner.Add(_large);", string.Empty)
            .Replace("Impl _small;", "Impl {|MEM1009:_small|};").Replace("Impl _large;", "Impl {|MEM1009:_large|};"),
    };

    [Theory]
    [MemberData(nameof(Correct))]
    public Task Does_not_report_MEM1010_for_strategies_attached_through_the_fields_or_the_collection(string code) => VerifyAttached.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(Correct))]
    public Task Does_not_report_MEM1009_for_strategies_disposed_through_the_fields_or_the_collection(string code) => VerifyDisposed.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(NotAttached))]
    public Task Reports_MEM1010_for_a_field_or_collection_element_attached_by_neither(string code) => VerifyAttached.VerifyAsync(Sources.File(code));

    [Theory]
    [MemberData(nameof(NotDisposed))]
    public Task Reports_MEM1009_for_a_field_or_collection_element_disposed_by_neither(string code) => VerifyDisposed.VerifyAsync(Sources.File(code));

}
