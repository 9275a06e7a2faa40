using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM2008: <c>[ThreadStatic]</c> on an instance field. The runtime only honours it on static fields, so the field
/// is silently shared by every thread: the opposite of what its author meant. Reported on any type, because the
/// attribute is wrong there whatever the class is.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThreadStaticInstanceFieldAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ThreadStaticInstanceField);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<INamedTypeSymbol>(context, CreateSymbols, Register);
    }

    private static INamedTypeSymbol? CreateSymbols(Compilation compilation) =>
        compilation.GetTypeByMetadataName("System.ThreadStaticAttribute");

    private static void Register(CompilationStartAnalysisContext start, INamedTypeSymbol symbols)
    {
        start.RegisterSymbolAction(
            symbolContext =>
            {
                var field = (IFieldSymbol)symbolContext.Symbol;
                if (!field.IsStatic && !field.IsConst && KnownSymbols.HasAttribute(field, symbols))
                {
                    symbolContext.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.ThreadStaticInstanceField, field.Locations[0], field.Name));
                }
            },
            SymbolKind.Field);
    }
}
