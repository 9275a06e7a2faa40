using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using MemoryStrategy.Analyzers;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace MemoryStrategy.CodeFixes;

/// <summary>MEM3002: sets <c>TrackAllocations = true</c> on the <c>[MemoryStrategy]</c> attribute.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TrackAllocationsFix))]
[Shared]
public sealed class TrackAllocationsFix : DocumentFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.CannotValidateDeallocation);

    /// <inheritdoc/>
    protected override string Title => "Set TrackAllocations = true";

    /// <inheritdoc/>
    protected override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) => Attribute(root, diagnostic) is not null;

    /// <inheritdoc/>
    protected override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        AttributeSyntax[] attributes = diagnostics.Select(d => Attribute(root, d)).OfType<AttributeSyntax>().Distinct().ToArray();
        return root.ReplaceNodes(attributes, (_, rewritten) => Track(rewritten));
    }

    // [MemoryStrategy] spans exactly its name, so the innermost node at the span is the name, not the attribute.
    private static AttributeSyntax? Attribute(SyntaxNode root, Diagnostic diagnostic) =>
        FindNode(root, diagnostic).FirstAncestorOrSelf<AttributeSyntax>();

    private static AttributeSyntax Track(AttributeSyntax attribute)
    {
        ExpressionSyntax yes = LiteralExpression(SyntaxKind.TrueLiteralExpression);
        AttributeArgumentSyntax? existing = attribute.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == MarkerNames.TrackAllocationsArgument);
        if (existing is not null)
        {
            return attribute.ReplaceNode(existing.Expression, yes.WithTriviaFrom(existing.Expression));
        }

        AttributeArgumentSyntax argument = AttributeArgument(yes)
            .WithNameEquals(NameEquals(IdentifierName(MarkerNames.TrackAllocationsArgument)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        AttributeArgumentListSyntax list = attribute.ArgumentList ?? AttributeArgumentList();
        return attribute.WithArgumentList(list.AddArguments(argument).WithAdditionalAnnotations(Formatter.Annotation));
    }
}
