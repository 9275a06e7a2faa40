using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>Completes <c>[MemoryStrategy]</c> classes. The pipeline is filled in by the generator issue.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class MemoryStrategyGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
