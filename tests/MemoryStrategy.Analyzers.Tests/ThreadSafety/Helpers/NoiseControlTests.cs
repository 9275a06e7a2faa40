using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// Noise control: members marked [SingleThreaded] (run before sharing, or on one dedicated thread) are treated like
/// constructors, in the strategy and in helpers; <c>lock (this)</c> is reported once per type.
/// </summary>
public sealed class NoiseControlTests
{
    private const string SizeClass = "public sealed class SizeClass { public int Top; public void Take() { Top++; } [SingleThreaded(\"the factory warms it before the strategy is returned\")] public void Warm() { Top += 4; } }";

    public static TheoryData<string, string> Quiet => new()
    {
        { "private int _count; [SingleThreaded(\"called once by the factory before the strategy is shared\")] public void Warm() { _count++; }", string.Empty },
        { "private readonly SizeClass _c = new(); [SingleThreaded(\"called once by the factory before the strategy is shared\")] public void Init() => _c.Take();", SizeClass },
        { "private readonly SizeClass _c = new(); public void Use() => _c.Warm();", SizeClass },
        { "private int _ticks; [SingleThreaded(\"runs on the trimmer thread only\")] private void Trim() { _ticks++; } public S() { new Thread(Trim).Start(); }", string.Empty },
    };

    public static TheoryData<string, string> Reports => new()
    {
        // marking one member does not excuse the concurrent paths into the same helper
        { "private readonly SizeClass _c = new(); [SingleThreaded(\"before sharing\")] public void Init() => _c.Take(); public void Use() => _c.Take();",
          "public sealed class SizeClass { public int Top; public void Take() { {|MEM2001:Top++|}; } }" },
        // lock (this) is one decision per type: reported at its first use only
        { "private int _n; public void A() { lock ({|MEM2006:this|}) _n++; } public void B() { lock (this) _n--; } public void C() { lock (this) _n = 0; }", string.Empty },
        { "private readonly Gate _g = new(); public void A() => _g.One(); public void B() => _g.Two();",
          "public sealed class Gate { private int _n; public void One() { lock ({|MEM2006:this|}) _n++; } public void Two() { lock (this) _n--; } }" },
    };

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_single_threaded_members(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_once_and_only_where_concurrent(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
