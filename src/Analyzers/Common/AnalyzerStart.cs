using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The compilation start every analyzer of this assembly shares: the symbols a rule needs, resolved once per
/// compilation. A compilation that lacks them (no reference to
/// MemoryStrategy.Abstractions) registers nothing, so the rule costs nothing there. Nothing is kept between
/// compilations: the symbols live in the closures of that compilation's actions.
/// <c>EnableConcurrentExecution</c> and <c>ConfigureGeneratedCodeAnalysis</c> are not called here: each analyzer
/// calls them in its own <c>Initialize</c>, where the Roslyn analyzer rules (RS1025, RS1026) can see them.
/// </summary>
internal static class AnalyzerStart
{
    /// <param name="context">The analyzer's <c>Initialize</c> context.</param>
    /// <param name="createSymbols">The symbols the rule needs, or null when the compilation lacks one.</param>
    /// <param name="register">Registers the rule's actions; the symbols serve the whole compilation.</param>
    public static void Register<TSymbols>(
        AnalysisContext context,
        Func<Compilation, TSymbols?> createSymbols,
        Action<CompilationStartAnalysisContext, TSymbols> register)
        where TSymbols : class
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (createSymbols(start.Compilation) is { } symbols)
            {
                register(start, symbols);
            }
        });
    }
}
