using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>
/// An object the method created is its own until a lambda that captures it is handed to another thread
/// (<c>Task.Run(() =&gt; w.Done++)</c>) or stored: from there on the method and the lambda share it. So is a captured
/// variable itself (<c>Task.Run(() =&gt; count++)</c>): the compiler hoists it into a field both reach.
/// </summary>
public sealed class CapturedLocalTests
{
    private const string Work = "public sealed class Work { public int Done; public readonly List<int> Items = new(); }";

    public static TheoryData<string, string> Reports => new()
    {
        { "public void Use() { var w = new Work(); Task.Run(() => {|MEM2001:w.Done++|}); {|MEM2001:w.Done++|}; }", Work },
        { "public void Use() { var w = new Work(); ThreadPool.QueueUserWorkItem(_ => {|MEM2002:w.Done = 1|}); {|MEM2002:w.Done = 2|}; }", Work },
        { "public void Use() { var w = new Work(); Task.Run(() => {|MEM2004:w.Items|}.Add(1)); {|MEM2004:w.Items|}.Add(2); }", Work },
        // the captured variable itself: a counter, a parameter, a collection, iterations of a parallel loop
        { "public void Use() { int count = 0; Task.Run(() => {|MEM2001:count++|}); {|MEM2001:count++|}; }", Work },
        { "public void Use(int n) { Task.Run(() => {|MEM2002:n = 1|}); }", Work },
        { "public void Use() { var list = new List<int>(); Task.Run(() => {|MEM2004:list|}.Add(1)); {|MEM2004:list|}.Add(2); }", Work },
        { "private readonly int[] _sizes = { 1, 2 }; public int Use() { int total = 0; Parallel.ForEach(_sizes, s => {|MEM2001:total += s|}); return total; }", Work },
    };

    public static TheoryData<string, string> Quiet => new()
    {
        // initialised before the hand-off, only read after it
        { "public void Use() { var w = new Work(); w.Done = 1; Task.Run(() => Console.WriteLine(w.Done)); }", Work },
        // a lambda run in place
        { "public int Use() { var w = new Work(); Action a = () => w.Done++; a(); w.Done++; return w.Done; }", Work },
        // an object the other thread creates for itself
        { "public void Use() { Task.Run(() => { var mine = new Work(); mine.Done++; }); }", Work },
        // a counter written before the hand-off, read after it; a lambda's own counter; a counter under one lock
        { "public void Use() { int count = 1; count++; Task.Run(() => Console.WriteLine(count)); }", Work },
        { "public void Use() { Task.Run(() => { int mine = 0; mine++; Console.WriteLine(mine); }); }", Work },
        { "private readonly object _gate = new(); public void Use() { int count = 0; Task.Run(() => { lock (_gate) { count++; } }); lock (_gate) { count++; } }", Work },
        // a counter of a lambda run in place
        { "private readonly int[] _sizes = { 1, 2 }; public int Use() { int total = 0; Array.ForEach(_sizes, s => total += s); return total; }", Work },
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
