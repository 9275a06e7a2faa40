using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// MEM2001 and MEM2007: the one provider registered for both ids. It offers <see cref="UseInterlockedFix"/> on an
/// update (<c>x++</c>, <c>x -= v</c>) and <see cref="ReadThenResetFix"/> on a read followed by a reset, and its Fix
/// All applies both in one pass. Two providers for one id made dotnet format apply only the first one's changes
/// per run (the second got diagnostics of the document as it was before), so a file needed two runs.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AtomicUpdateFix))]
[Shared]
public sealed class AtomicUpdateFix : DocumentFix
{
    private readonly UseInterlockedFix _update = new();
    private readonly ReadThenResetFix _readThenReset = new();

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.NonAtomicReadModifyWrite, RuleIdentifiers.MixedAtomicAndPlainWrite);

    /// <inheritdoc/>
    protected override string Title => "Make the update atomic with Interlocked";

    /// <inheritdoc/>
    protected override string TitleFor(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) =>
        _update.Accepts(root, model, diagnostic) ? UseInterlockedFix.FixTitle : ReadThenResetFix.FixTitle;

    /// <inheritdoc/>
    protected override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) =>
        _update.Accepts(root, model, diagnostic) || _readThenReset.Accepts(root, model, diagnostic);

    /// <inheritdoc/>
    protected override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        // Both shapes are planned against the same root, then applied together.
        var edits = new RootEdits();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (_update.Accepts(root, model, diagnostic))
            {
                _update.Plan(root, model, diagnostic, edits, cancellationToken);
            }
            else
            {
                _readThenReset.Plan(root, model, diagnostic, edits);
            }
        }

        return edits.Apply(root);
    }
}
