using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1012: a strategy's <c>[Allocate]</c>, <c>[Deallocate]</c> or <c>[Owns]</c> core (or a slow half) calls, directly
/// or through the class's own methods it calls, this same strategy's public <c>Allocate</c>, <c>Deallocate</c> or
/// <c>Owns</c> (on <c>this</c>, through <c>IMemoryStrategy</c>, or through its own <c>ForCurrentThread()</c> scope), or
/// <c>StrategyValidator.ValidateAllocation</c>/<c>ValidateDeallocation</c> on <c>this</c> (which call them). The call
/// re-enters the generated wrapper around the core that is running: from the matching core it recurses without end
/// (an <c>[Allocate]</c> calling <c>Allocate</c>), and from any core it repeats the lookup, the gate and the
/// statistics for a request already admitted. (<c>Owns</c> asked from inside <c>[Owns]</c> is answered false by the
/// generated code rather than recursed on, and is reported too: the answer is never the one wanted.)
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SelfPublicCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.CoreCallsItsOwnStrategy);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        AnalyzerStart.Register<KnownSymbols>(context, CreateSymbols, Register);
    }

    private static KnownSymbols? CreateSymbols(Compilation compilation) =>
        new KnownSymbols(compilation) is { MemoryStrategyAttribute: not null, Allocate: not null, Deallocate: not null } known ? known : null;

    private static void Register(CompilationStartAnalysisContext start, KnownSymbols symbols)
    {
        // One class hierarchy per compilation: a core's helper behind an interface is read through its implementations.
        var implementations = new SourceImplementations(start.Compilation);
        start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, symbols, implementations), SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, KnownSymbols known, SourceImplementations implementations)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!known.IsStrategy(type))
        {
            return;
        }

        CoreReachedCalls.Register<string>(
            context,
            known,
            implementations,
            (IInvocationOperation invocation, System.Func<IOperation?, bool> isHolder, out string entry) => (entry = SelfEntryFor(invocation, isHolder, type, known)!) is not null,
            (end, core, call, entry) => end.ReportDiagnostic(
                Diagnostic.Create(DiagnosticDescriptors.CoreCallsItsOwnStrategy, call.Syntax.GetLocation(), core.Name, type.Name, entry)),
            bindHolderMembers: true);
    }

    /// <summary>
    /// What the message names when <paramref name="invocation"/> calls <paramref name="type"/>'s own public entry on this
    /// instance: <c>Allocate</c>, <c>Deallocate</c> or <c>Owns</c> on <c>this</c> (also through an interface or its own
    /// scope), or a validator that calls one of them on <c>this</c>. Null for any other call.
    /// </summary>
    private static string? SelfEntryFor(IInvocationOperation invocation, System.Func<IOperation?, bool> isHolder, INamedTypeSymbol type, KnownSymbols known)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (target.IsStatic)
        {
            return SymbolEqualityComparer.Default.Equals(target.ContainingType, known.StrategyValidator)
                && target.Name is "ValidateAllocation" or "ValidateDeallocation"
                && invocation.Arguments.Length > 0
                && isHolder(invocation.Arguments[0].Value)
                ? "StrategyValidator." + target.Name
                : null;
        }

        if (target.Name is not ("Allocate" or "Deallocate" or "Owns") || target.Parameters.Length != 1)
        {
            return null;
        }

        bool onThis = isHolder(invocation.Instance)
            && (SymbolEqualityComparer.Default.Equals(target.ContainingType, type)
                || SymbolEqualityComparer.Default.Equals(target.ContainingType, known.IMemoryStrategy));

        // This strategy's own scope: this.ForCurrentThread().Allocate(size), or a local holding it.
        bool onOwnScope = target.ContainingType is { Name: MarkerNames.ThreadScopeType, TypeKind: TypeKind.Struct } scope
            && SymbolEqualityComparer.Default.Equals(scope.ContainingType, type);
        return onThis || onOwnScope ? target.Name : null;
    }

}
