using System.Collections.Immutable;
using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>Every analyzer the package ships, found by reflection so a new one cannot be forgotten here.</summary>
internal static class AllAnalyzers
{
    public static ImmutableArray<DiagnosticAnalyzer> Create() =>
        [.. typeof(StrategyShapeAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .OrderBy(t => t.Name)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];
}
