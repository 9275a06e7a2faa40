using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The operations of methods declared anywhere in one compilation, for the summaries that follow a call into code
/// outside the block being analysed (the thread-safety rules' helpers, the dataflow rules' callees). One instance per
/// compilation; thread-safe.
/// </summary>
internal sealed class SourceBodies
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    public SourceBodies(Compilation compilation) => _compilation = compilation;

    /// <summary>
    /// The bodies of <paramref name="method"/> (its implementation part when partial; one per declaration), without
    /// those in generated files unless <paramref name="includeGenerated"/>; none for a method with no body here.
    /// </summary>
    public IEnumerable<IOperation> Of(IMethodSymbol method, bool includeGenerated, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in (method.PartialImplementationPart ?? method).DeclaringSyntaxReferences)
        {
            if (!includeGenerated && GeneratedCode.IsGenerated(reference.SyntaxTree, cancellationToken))
            {
                continue;
            }

            SyntaxNode syntax = reference.GetSyntax(cancellationToken);
            if (ModelFor(reference.SyntaxTree).GetOperation(syntax, cancellationToken) is { } operation)
            {
                yield return operation;
            }
        }
    }

    /// <summary>The semantic model of <paramref name="tree"/>, a tree of this compilation.</summary>
    public SemanticModel ModelFor(SyntaxTree tree) => _models.GetOrAdd(tree, tree =>
    {
        // The analyzer driver gives the compilation a caching model provider: this is the model it already built.
#pragma warning disable RS1030 // bodies outside the analyzed symbol are only reachable through the compilation
        return _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
    });
}
