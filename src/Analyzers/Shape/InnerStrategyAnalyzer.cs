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
        AnalyzerStart.Register<KnownSymbols>(context, CreateSymbols, Register);
    }

    private static KnownSymbols? CreateSymbols(Compilation compilation) =>
        new KnownSymbols(compilation) is { MemoryStrategyAttribute: not null, IMemoryStrategy: not null } known ? known : null;

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols) =>
        start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, symbols), SymbolKind.NamedType);

    private static void AnalyzeType(SymbolStartAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!known.IsStrategy(type))
        {
            return;
        }

        ImmutableArray<IFieldSymbol> inner = InnerFields(type, known.IMemoryStrategy!);
        if (inner.IsEmpty)
        {
            return;
        }

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

    /// <summary>The instance fields of <paramref name="type"/> that hold strategies (MEM1009, MEM1010).</summary>
    internal static ImmutableArray<IFieldSymbol> InnerFields(INamedTypeSymbol type, INamedTypeSymbol contract) =>
        type.GetMembers().OfType<IFieldSymbol>()
            .Where(field => !field.IsStatic && !field.IsImplicitlyDeclared && HoldsStrategy(field.Type, contract))
            .ToImmutableArray();

    /// <summary>Whether values of <paramref name="type"/> are strategies: it, or its element type, implements the contract.</summary>
    private static bool HoldsStrategy(ITypeSymbol type, INamedTypeSymbol contract)
    {
        ITypeSymbol element = type is IArrayTypeSymbol array ? array.ElementType : type;
        return SymbolEqualityComparer.Default.Equals(element, contract)
            || element.AllInterfaces.Contains(contract, SymbolEqualityComparer.Default);
    }
}
