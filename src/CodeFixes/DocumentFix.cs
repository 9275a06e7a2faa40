using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// A code fix written once as "rewrite this document for these diagnostics", so that a single fix and Fix All
/// (document, project, solution) run the same code, and fixes that touch the same statement or add the same
/// using directive are merged instead of colliding.
/// </summary>
public abstract class DocumentFix : CodeFixProvider
{
    /// <summary>The title shown in the light bulb; also the equivalence key.</summary>
    protected abstract string Title { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => new FixAll(this);

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (CanFix(root, model, diagnostic))
            {
                string title = TitleFor(root, model, diagnostic);
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => FixDocumentAsync(context.Document, ImmutableArray.Create(diagnostic), ct), equivalenceKey: title),
                    diagnostic);
            }
        }
    }

    /// <summary>The light bulb's title for one occurrence, for a provider whose fix takes several shapes.</summary>
    protected virtual string TitleFor(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) => Title;

    /// <summary>Whether the fix applies to this occurrence (a fix that would not compile is not offered).</summary>
    protected abstract bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic);

    /// <summary>
    /// The document's root with every diagnostic in <paramref name="diagnostics"/> fixed. Each diagnostic passed
    /// can be fixed (<see cref="CanFix"/>), and no two share a span; they come in source order.
    /// </summary>
    protected abstract SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken);

    private async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var fixable = diagnostics.Where(d => CanFix(root, model, d))
            .GroupBy(d => d.Location.SourceSpan)
            .Select(g => g.First())
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToList();
        return fixable.Count == 0 ? document : document.WithSyntaxRoot(Fix(root, model, fixable, cancellationToken));
    }

    private sealed class FixAll : DocumentBasedFixAllProvider
    {
        private readonly DocumentFix _fix;

        public FixAll(DocumentFix fix) => _fix = fix;

        protected override string GetFixAllTitle(FixAllContext fixAllContext) => _fix.Title;

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics) =>
            await _fix.FixDocumentAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>The node a diagnostic points at (its exact span, or the innermost node containing it).</summary>
    protected static SyntaxNode FindNode(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
}
