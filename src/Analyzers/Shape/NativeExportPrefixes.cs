using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1008 across a compilation: two strategies exported to C under one <c>NativeExport</c> prefix. Each would define
/// <c>prefix_create</c> and <c>prefix_destroy</c>, so the native library could not be linked (or one strategy's
/// exports would shadow the other's). Neither class is wrong alone, so the pair is found once every type has been seen.
/// </summary>
internal sealed class NativeExportPrefixes
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<INamedTypeSymbol>> _strategiesByPrefix = new(StringComparer.Ordinal);

    /// <summary>Records a strategy exported under <paramref name="prefix"/>.</summary>
    public void Add(string prefix, INamedTypeSymbol strategy) =>
        _strategiesByPrefix.GetOrAdd(prefix, _ => new ConcurrentBag<INamedTypeSymbol>()).Add(strategy);

    /// <summary>Reports each strategy whose prefix another strategy of the compilation also has, naming the others.</summary>
    public void ReportDuplicates(CompilationAnalysisContext context)
    {
        foreach (var entry in _strategiesByPrefix)
        {
            // Ordered by name, so the messages are the same in every build.
            INamedTypeSymbol[] strategies = [.. entry.Value.Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
                .OrderBy(strategy => strategy.ToDisplayString(), StringComparer.Ordinal)];
            if (strategies.Length < 2)
            {
                continue;
            }

            foreach (INamedTypeSymbol strategy in strategies)
            {
                string others = string.Join("', '", strategies.Where(other => !SymbolEqualityComparer.Default.Equals(other, strategy)).Select(other => other.ToDisplayString()));
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.InvalidNativeExport,
                    strategy.Locations.FirstOrDefault(location => location.IsInSource) ?? Location.None,
                    strategy.Name,
                    $"'{entry.Key}' is also the prefix of '{others}', so '{entry.Key}_create' and '{entry.Key}_destroy' would be defined twice; give each strategy its own prefix"));
            }
        }
    }
}
