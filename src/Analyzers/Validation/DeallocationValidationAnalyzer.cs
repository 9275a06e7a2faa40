using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3002: a strategy with no <c>[Owns]</c> method and <c>TrackAllocations</c> off. Its generated
/// <c>Deallocate</c> can only refuse null: a foreign pointer or a double free reaches the core, and
/// <c>StrategyValidator.ValidateDeallocation</c> can never say yes. Reported on the <c>[MemoryStrategy]</c>
/// attribute, where the fix (<c>TrackAllocations = true</c>) goes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeallocationValidationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.CannotValidateDeallocation);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<KnownSymbols>(context, CreateSymbols, Register);
    }

    private static KnownSymbols? CreateSymbols(Compilation compilation) =>
        new KnownSymbols(compilation) is { MemoryStrategyAttribute: not null, Owns: not null } known ? known : null;

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols) =>
        start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, symbols), SymbolKind.NamedType);

    private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class || KnownSymbols.FindAttribute(type, known.MemoryStrategyAttribute) is not { } attribute)
        {
            return;
        }

        if (TracksAllocations(attribute) || HasOwnsMarker(type, known) || attribute.ApplicationSyntaxReference is not { } reference)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.CannotValidateDeallocation,
            Location.Create(reference.SyntaxTree, reference.Span),
            type.Name));
    }

    private static bool TracksAllocations(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == MarkerNames.TrackAllocationsArgument && argument.Value.Value is true)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasOwnsMarker(INamedTypeSymbol type, KnownSymbols known)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol method)
            {
                foreach (AttributeData attribute in method.GetAttributes())
                {
                    if (known.GetMarker(attribute.AttributeClass) == MarkerKind.Owns)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
