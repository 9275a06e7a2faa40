using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// Completes every <c>[MemoryStrategy]</c> class: the managed <c>IMemoryStrategy</c> members with status tracking and
/// validation, and the C-ABI vtable. Parse (<see cref="StrategyParser"/>) builds a value-equatable
/// <see cref="StrategyModel"/>; emit (<see cref="StrategyEmitter"/>) turns it into text. The generator reports no
/// diagnostics: a class it cannot complete is skipped, and the analyzers explain why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MemoryStrategyGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<StrategyModel> strategies = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                MarkerNames.MemoryStrategyAttribute,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (context, cancellationToken) => StrategyParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Candidates)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.Strategies);

        // Usually empty, so equal from run to run: an edit to one strategy does not re-emit the others.
        IncrementalValueProvider<EquatableArray<string>> collisions = strategies
            .Select(static (model, _) => model.HintName)
            .Collect()
            .Select(static (names, _) => HintNames.FindCollisions(names))
            .WithTrackingName(TrackingNames.HintNameCollisions);

        context.RegisterSourceOutput(strategies.Combine(collisions), static (output, strategy) =>
            output.AddSource(
                HintNames.For(strategy.Left, strategy.Right),
                SourceText.From(StrategyEmitter.Emit(strategy.Left), System.Text.Encoding.UTF8)));
    }
}
