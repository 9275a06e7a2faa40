using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What the thread-safety analysis of one compilation shares between its strategies: the symbols, the helper
/// summaries, and the findings already reported (a helper reached from two strategies is reported once).
/// Created at compilation start and dropped with it: nothing is kept across compilations.
/// </summary>
internal sealed class ThreadSafetyCompilation
{
    private readonly ConcurrentDictionary<object, byte> _reported = new();

    private ThreadSafetyCompilation(Compilation compilation, ConcurrencySymbols symbols)
    {
        Symbols = symbols;
        Summaries = new MethodSummaries(compilation, symbols);
    }

    public ConcurrencySymbols Symbols { get; }

    public MethodSummaries Summaries { get; }

    public static ThreadSafetyCompilation? TryCreate(Compilation compilation) =>
        new ConcurrencySymbols(compilation) is { Known.MemoryStrategyAttribute: not null } symbols
            ? new ThreadSafetyCompilation(compilation, symbols)
            : null;

    /// <summary>True the first time <paramref name="finding"/> (an access, a lock target's location) is claimed.</summary>
    public bool Claim(object finding) => _reported.TryAdd(finding, 0);
}
