using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1009: a <c>[MemoryStrategy]</c> class holds another strategy (a field whose type, or element type, implements
/// <c>IMemoryStrategy</c>) that its <c>[Cleanup]</c> method never mentions, or it has no <c>[Cleanup]</c>. A strategy
/// built from strategies owns them: it must dispose them when it is disposed, after which their own <c>Dispose</c>,
/// refused while the owner served (<c>StatusTracker.AttachTo</c>), goes through.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InnerStrategyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InnerStrategyNotDisposed);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        InnerStrategyTypes.Register(context, AnalyzeType);
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, INamedTypeSymbol type, ImmutableArray<IFieldSymbol> inner, KnownSymbols known)
    {
        IMethodSymbol? cleanup = type.GetMembers().OfType<IMethodSymbol>()
            .FirstOrDefault(method => method.GetAttributes().Any(a => known.GetMarker(a.AttributeClass) == MarkerKind.Cleanup));
        if (cleanup is null)
        {
            context.RegisterSymbolEndAction(end => Report(end, type, inner, "has no [Cleanup] method"));
            return;
        }

        // The fields the cleanup reads, collected as its body is analysed; reported once the type is done.
        var mentioned = new System.Collections.Concurrent.ConcurrentDictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(
            operation =>
            {
                if (SymbolEqualityComparer.Default.Equals(operation.ContainingSymbol, cleanup)
                    && operation.Operation is IFieldReferenceOperation reference)
                {
                    mentioned.TryAdd(reference.Field.OriginalDefinition, true);
                }
            },
            OperationKind.FieldReference);
        context.RegisterSymbolEndAction(end =>
            Report(end, type, inner.Where(field => !mentioned.ContainsKey(field)).ToImmutableArray(), $"its [Cleanup] method '{cleanup.Name}' does not dispose it"));
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, ImmutableArray<IFieldSymbol> fields, string why)
    {
        foreach (IFieldSymbol field in fields)
        {
            if (field.Locations.FirstOrDefault(location => location.IsInSource) is { } location)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InnerStrategyNotDisposed, location, type.Name, field.Name, why));
            }
        }
    }
}
