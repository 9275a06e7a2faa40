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
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// MEM2003: wraps the statement that touches a <c>[GuardedBy]</c> field in <c>lock (gate) { ... }</c>. Not offered
/// for a local declaration (the local would go out of scope) nor outside a block (an expression-bodied member).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInLockFix))]
[Shared]
public sealed class WrapInLockFix : DocumentFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.GuardedByViolation);

    /// <inheritdoc/>
    protected override string Title => "Take the lock around the statement";

    /// <inheritdoc/>
    protected override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) =>
        LockName(diagnostic) is not null
        && SyntaxHelpers.StatementInBlock(FindNode(root, diagnostic)) is { } statement
        && statement is not LocalDeclarationStatementSyntax;

    /// <inheritdoc/>
    protected override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var locks = new Dictionary<StatementSyntax, string>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (SyntaxHelpers.StatementInBlock(FindNode(root, diagnostic)) is { } statement && LockName(diagnostic) is { } name)
            {
                locks[statement] = name;
            }
        }

        // One lock per statement; a statement inside another one being wrapped is covered by the outer lock.
        StatementSyntax[] outermost = locks.Keys.Where(s => !s.Ancestors().OfType<StatementSyntax>().Any(locks.ContainsKey)).ToArray();
        return root.ReplaceNodes(outermost, (original, rewritten) => Lock(rewritten, locks[original]));
    }

    private static string? LockName(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(ThreadSafetyRules.LockNameProperty, out string? name) ? name : null;

    private static StatementSyntax Lock(StatementSyntax statement, string lockName) =>
        LockStatement(ParseExpression(lockName), Block(statement.WithoutTrivia()))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
}
