using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// A helper reached from several strategies is reported once, and its message names the same path in every build,
/// whatever order the strategies are declared or analyzed in: the shortest, then the first in ordinal order.
/// </summary>
public sealed class HelperPathTests
{
    private const string Box = "public sealed class Box { public int Version; public void Put() { Version++; } }";

    private static string Strategy(string name, string members) =>
        "[MemoryStrategy]\npublic sealed unsafe partial class " + name + "\n{\n" + Sources.Cores + "\n" + members + "\n}\n";

    public static TheoryData<string, string, string> Paths => new()
    {
        {
            Strategy("Beta", "private readonly Box _box = new(); public void Run() => _box.Put();"),
            Strategy("Alpha", "private readonly Box _box = new(); public void Run() => _box.Put();"),
            "(reached from `Alpha.Run` via `Box.Put`)"
        },
        {
            Strategy("Zed", "private readonly Box _box = new(); public void Run() => _box.Put();"),
            Strategy("Ant", "private readonly Box _box = new(); public void Run() => Record(); private void Record() => _box.Put();"),
            "(reached from `Zed.Run` via `Box.Put`)"
        },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Names_the_same_path_whatever_the_declaration_order(string first, string second, string path)
    {
        string oneWay = await SingleMessage(first + second);
        string otherWay = await SingleMessage(second + first);

        Assert.Equal(oneWay, otherWay);
        Assert.EndsWith(path, oneWay);
    }

    [Fact]
    public async Task Names_the_only_path_of_a_helper_reached_once()
    {
        string message = await SingleMessage(Strategy("Ant", "private readonly Box _box = new(); public void Run() => Record(); private void Record() => _box.Put();"));

        Assert.EndsWith("(reached from `Ant.Run` via `Ant.Record`, `Box.Put`)", message);
    }

    private static async Task<string> SingleMessage(string strategies)
    {
        var diagnostics = await AnalyzerRunner.GetDiagnosticsAsync(Sources.File(strategies + Box), new ThreadSafetyAnalyzer());
        Diagnostic finding = Assert.Single(diagnostics);
        Assert.Equal("MEM2001", finding.Id);
        return finding.GetMessage();
    }
}
