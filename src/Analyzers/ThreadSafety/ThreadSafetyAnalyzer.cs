using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM2001-MEM2007 and MEM2009: thread-unsafe use of a strategy's fields. A strategy's markers and non-private members run
/// concurrently by contract, so every path from them is analyzed as concurrent (RacerD's assumption), following
/// calls into the class's own private helpers with the locks held at each call. Constructors, field initialisers,
/// <c>[Cleanup]</c> and the helpers only they reach are exempt. Generated code is not analyzed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThreadSafetyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NonAtomicReadModifyWrite,
        DiagnosticDescriptors.UnsynchronizedWrite,
        DiagnosticDescriptors.GuardedByViolation,
        DiagnosticDescriptors.UnsynchronizedCollection,
        DiagnosticDescriptors.InconsistentLocking,
        DiagnosticDescriptors.LockHygiene,
        DiagnosticDescriptors.MixedAtomicAndPlainWrite,
        DiagnosticDescriptors.InstanceLockOnSharedState);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<ThreadSafetyCompilation>(context, CreateSymbols, Register);
    }

    private static ThreadSafetyCompilation? CreateSymbols(Compilation compilation) => ThreadSafetyCompilation.TryCreate(compilation);

    private static void Register(CompilationStartAnalysisContext start, ThreadSafetyCompilation symbols)
    {
        start.RegisterSymbolStartAction(
            symbolStart =>
            {
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                if (!symbols.Symbols.Known.IsStrategy(type))
                {
                    return;
                }

                var collector = new StrategyCodeCollector(symbols, type);
                symbolStart.RegisterOperationBlockAction(collector.AddBlock);
                symbolStart.RegisterSymbolEndAction(collector.Report);
            },
            SymbolKind.NamedType);

        // Findings in helper code wait until every strategy that may reach the helper has been analyzed.
        start.RegisterCompilationEndAction(end => symbols.ReportHelperFindings(end.ReportDiagnostic));
    }
}
