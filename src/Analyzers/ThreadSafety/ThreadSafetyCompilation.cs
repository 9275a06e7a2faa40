using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What the thread-safety analysis of one compilation shares between its strategies: the symbols, the helper
/// summaries, the findings already reported, and the findings in helper code, which are reported at the end of
/// the compilation (a helper reached from two strategies is reported once, with the same path in every build).
/// Created at compilation start and dropped with it: nothing is kept across compilations.
/// </summary>
internal sealed class ThreadSafetyCompilation
{
    private readonly ConcurrentDictionary<object, byte> _reported = new();
    private readonly ConcurrentDictionary<FieldAccess, HelperFinding> _helperFindings = new();

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

    /// <summary>Keeps <paramref name="finding"/> for <paramref name="access"/> if it ranks before the one kept so far.</summary>
    public void Offer(FieldAccess access, HelperFinding finding) =>
        _helperFindings.AddOrUpdate(access, finding, (_, kept) => finding.RanksBefore(kept) ? finding : kept);

    /// <summary>Reports the kept helper findings, in source order, once every strategy has been analyzed.</summary>
    public void ReportHelperFindings(Action<Diagnostic> report)
    {
        foreach (Diagnostic diagnostic in _helperFindings.Values
            .Select(f => f.Diagnostic)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start))
        {
            report(diagnostic);
        }
    }
}
