using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// An object the method created is its own until a lambda that captures it is handed to another thread
/// (<c>Task.Run(() =&gt; w.Done++)</c>) or stored: from there on the method and the lambda share it.
/// </summary>
public sealed class CapturedLocalTests
{
    private const string Work = "public sealed class Work { public int Done; public readonly List<int> Items = new(); }";

    public static TheoryData<string, string> Reports => new()
    {
        { "public void Use() { var w = new Work(); Task.Run(() => {|MEM2001:w.Done++|}); {|MEM2001:w.Done++|}; }", Work },
        { "public void Use() { var w = new Work(); ThreadPool.QueueUserWorkItem(_ => {|MEM2002:w.Done = 1|}); {|MEM2002:w.Done = 2|}; }", Work },
        { "public void Use() { var w = new Work(); Task.Run(() => {|MEM2004:w.Items|}.Add(1)); {|MEM2004:w.Items|}.Add(2); }", Work },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // initialised before the hand-off, only read after it
        { "public void Use() { var w = new Work(); w.Done = 1; Task.Run(() => Console.WriteLine(w.Done)); }", Work },
        // a lambda run in place
        { "public int Use() { var w = new Work(); Action a = () => w.Done++; a(); w.Done++; return w.Done; }", Work },
        // an object the other thread creates for itself
        { "public void Use() { Task.Run(() => { var mine = new Work(); mine.Done++; }); }", Work },
        // the caller's object, not captured by the lambda handed off
        { "public int Use() { var w = new Work(); var other = new Work(); Task.Run(() => Console.WriteLine(other.Done)); w.Done++; return w.Done; }", Work },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_objects_shared_with_a_lambda_on_another_thread(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));

    [Theory]
    [MemberData(nameof(Quiet))]
    public Task Does_not_report_objects_kept_to_one_thread(string members, string helpers) => Verify.VerifyAsync(HelperSources.With(members, helpers));
}
