using System;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// A diagnostic about helper code, as one strategy that reaches the helper would report it. Strategies are analyzed
/// concurrently and in no fixed order, so when several reach the same access the compilation keeps the finding that
/// ranks first: the shortest path, then the strategy's fully qualified name, then the path's text, in ordinal order.
/// The message is then the same in every build.
/// </summary>
internal sealed class HelperFinding
{
    public HelperFinding(int hops, string strategy, string path, Diagnostic diagnostic)
    {
        Hops = hops;
        Strategy = strategy;
        Path = path;
        Diagnostic = diagnostic;
    }

    public int Hops { get; }

    public string Strategy { get; }

    public string Path { get; }

    public Diagnostic Diagnostic { get; }

    /// <summary>Whether this finding is the one to report rather than <paramref name="other"/>.</summary>
    public bool RanksBefore(HelperFinding other)
    {
        if (Hops != other.Hops)
        {
            return Hops < other.Hops;
        }

        int byStrategy = string.CompareOrdinal(Strategy, other.Strategy);
        return byStrategy != 0 ? byStrategy < 0 : string.CompareOrdinal(Path, other.Path) < 0;
    }
}
