using System.Collections.Immutable;
using System.Composition;
using MemoryStrategy.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// MEM3005: inserts <c>if (p == null) return ...;</c> before the statement that uses the pointer (the C interface's
/// <c>if (!ptr)</c>). Not offered when the <c>Allocate</c> call itself is passed on: there is no variable to test.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NullCheckFix))]
[Shared]
public sealed class NullCheckFix : GuardStatementFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UncheckedAllocation);

    /// <inheritdoc/>
    protected override string Title => "Check the pointer for null";

    /// <inheritdoc/>
    protected override string ExitReason => "The memory strategy could not allocate.";

    /// <inheritdoc/>
    protected override ExpressionSyntax? Subject(SyntaxNode diagnosed) =>
        diagnosed is ExpressionSyntax pointer && SyntaxHelpers.IsMemberPath(pointer) ? pointer : null;

    /// <inheritdoc/>
    protected override StatementSyntax Guard(ExpressionSyntax subject, StatementSyntax exit, SemanticModel model, int position, ref bool needsUsing) =>
        IfStatement(BinaryExpression(SyntaxKind.EqualsExpression, subject, LiteralExpression(SyntaxKind.NullLiteralExpression)), exit);
}
