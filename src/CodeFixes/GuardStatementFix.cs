using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// A fix that inserts a guard (<c>if (...) return ...;</c>) before the statement a diagnostic is in. Guards for the
/// same statement and the same subject are inserted once, so Fix All never stacks duplicates.
/// </summary>
public abstract class GuardStatementFix : DocumentFix
{
    /// <inheritdoc/>
    protected sealed override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) =>
        Guards(diagnostic) && Subject(FindNode(root, diagnostic)) is not null && SyntaxHelpers.StatementInBlock(FindNode(root, diagnostic)) is not null;

    /// <summary>The expression the guard tests (a strategy, a pointer), or null when there is nothing to test.</summary>
    protected abstract ExpressionSyntax? Subject(SyntaxNode diagnosed);

    /// <summary>Whether a guard can answer <paramref name="diagnostic"/> at all (the analyzer may say it cannot).</summary>
    protected virtual bool Guards(Diagnostic diagnostic) => true;

    /// <summary>The guard for <paramref name="subject"/>, leaving through <paramref name="exit"/>.</summary>
    protected abstract StatementSyntax Guard(ExpressionSyntax subject, StatementSyntax exit, SemanticModel model, int position, ref bool needsUsing);

    /// <summary>The namespace the guard's names come from, added as a using directive when they do not bind.</summary>
    protected virtual string? GuardNamespace => null;

    /// <summary>The message of the exception thrown when no return value fits.</summary>
    protected abstract string ExitReason { get; }

    /// <inheritdoc/>
    protected sealed override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var guards = new Dictionary<StatementSyntax, List<StatementSyntax>>();
        var seen = new HashSet<(StatementSyntax, string)>();
        bool needsUsing = false;
        foreach (Diagnostic diagnostic in diagnostics)
        {
            SyntaxNode node = FindNode(root, diagnostic);
            if (!Guards(diagnostic) || Subject(node) is not { } subject || SyntaxHelpers.StatementInBlock(node) is not { } statement || !seen.Add((statement, subject.ToString())))
            {
                continue;
            }

            StatementSyntax exit = SyntaxHelpers.EarlyExit(model, statement, ExitReason);
            StatementSyntax guard = Guard(subject.WithoutTrivia(), exit, model, statement.SpanStart, ref needsUsing)
                .WithAdditionalAnnotations(Formatter.Annotation);
            if (!guards.TryGetValue(statement, out List<StatementSyntax>? list))
            {
                guards[statement] = list = new List<StatementSyntax>();
            }

            list.Add(guard);
        }

        SyntaxNode fixedRoot = root.ReplaceNodes(
            guards.Keys.Select(s => (BlockSyntax)s.Parent!).Distinct(),
            (original, rewritten) => InsertGuards(original, rewritten, guards));
        return needsUsing && GuardNamespace is { } ns ? SyntaxHelpers.AddUsing(fixedRoot, ns) : fixedRoot;
    }

    private static BlockSyntax InsertGuards(BlockSyntax original, BlockSyntax rewritten, Dictionary<StatementSyntax, List<StatementSyntax>> guards)
    {
        var statements = new List<StatementSyntax>();
        for (int i = 0; i < original.Statements.Count; i++)
        {
            StatementSyntax current = rewritten.Statements[i];
            if (guards.TryGetValue(original.Statements[i], out List<StatementSyntax>? before))
            {
                // The guard takes the statement's leading trivia (comments stay above the pair).
                statements.Add(before[0].WithLeadingTrivia(current.GetLeadingTrivia()));
                statements.AddRange(before.Skip(1));
            }

            statements.Add(current);
        }

        return rewritten.WithStatements(new SyntaxList<StatementSyntax>(statements));
    }
}
