using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace MemoryStrategy.CodeFixes;

/// <summary>MEM1001: adds <c>partial</c> to the strategy class or containing type that lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialFix))]
[Shared]
public sealed class MakePartialFix : DocumentFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.NotPartial);

    /// <inheritdoc/>
    protected override string Title => "Make the type partial";

    /// <inheritdoc/>
    protected override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) => Declaration(root, diagnostic) is not null;

    /// <inheritdoc/>
    protected override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        TypeDeclarationSyntax[] declarations = diagnostics.Select(d => Declaration(root, d)).OfType<TypeDeclarationSyntax>().Distinct().ToArray();
        return root.ReplaceNodes(declarations, (_, rewritten) => AddPartial(rewritten));
    }

    private static TypeDeclarationSyntax? Declaration(SyntaxNode root, Diagnostic diagnostic)
    {
        TypeDeclarationSyntax? declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent as TypeDeclarationSyntax;
        return declaration is not null && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword) ? declaration : null;
    }

    /// <summary><c>partial</c> must come last among the modifiers, right before the <c>class</c> keyword.</summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Count > 0)
        {
            return declaration.AddModifiers(Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(Space));
        }

        SyntaxToken keyword = declaration.Keyword;
        SyntaxToken partial = Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, TriviaList(Space));
        return declaration.WithKeyword(keyword.WithLeadingTrivia()).WithModifiers(TokenList(partial));
    }
}
