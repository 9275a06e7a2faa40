using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<ThreadSafetyAnalyzer>;

/// <summary>Every finding can be tuned in .editorconfig and silenced with #pragma, [SuppressMessage] or [BenignRace].</summary>
public sealed class SuppressionTests
{
    private const string Race = "private int _count; public void Hit() { {|#0:_count++|}; }";

    [Fact]
    public async Task Editorconfig_turns_the_rule_off()
    {
        var test = new Verify.Test { TestCode = Sources.Strategy(Race.Replace("{|#0:", string.Empty).Replace("|}", string.Empty)) };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.MEM2001.severity = none\n"));
        await test.RunAsync();
    }

    [Fact]
    public Task Pragma_silences_the_finding() => Verify.VerifyAsync(Sources.Strategy(
        "private int _count; public void Hit() {\n#pragma warning disable MEM2001\n_count++;\n#pragma warning restore MEM2001\n}"));

    [Fact]
    public Task SuppressMessage_silences_the_finding() => Verify.VerifyAsync(Sources.Strategy(
        "private int _count; [System.Diagnostics.CodeAnalysis.SuppressMessage(\"MemoryStrategy.ThreadSafety\", \"MEM2001\", Justification = \"test\")] public void Hit() { _count++; }"));

    [Fact]
    public Task BenignRace_silences_every_rule_on_the_field() => Verify.VerifyAsync(Sources.Strategy(
        "private readonly object _gate = new(); [BenignRace(\"statistic\")] private long _hits; public void Hit() { _hits++; _hits = 0; } public void Locked() { lock (_gate) _hits = 1; } public long Read() => _hits;"));
}
