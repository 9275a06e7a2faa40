using System.Collections.Generic;
using System.Collections.Immutable;
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
/// MEM2007 (and MEM2001 on the <c>Volatile</c> form): a read of a counter followed by a reset
/// (<c>long n = _count; _count = 0;</c>, or with <c>Volatile.Read</c>/<c>Volatile.Write</c>) loses every atomic
/// update made between the two statements. The fix makes them one atomic step:
/// <c>long n = Interlocked.Exchange(ref _count, 0);</c>.
/// Not exported on its own: <see cref="AtomicUpdateFix"/> offers it with the Interlocked update fix.
/// </summary>
public sealed class ReadThenResetFix : DocumentFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.MixedAtomicAndPlainWrite, RuleIdentifiers.NonAtomicReadModifyWrite);

    /// <summary>The light bulb's title, also <see cref="AtomicUpdateFix"/>'s for this shape.</summary>
    internal const string FixTitle = "Read and reset with Interlocked.Exchange";

    /// <inheritdoc/>
    protected override string Title => FixTitle;

    /// <inheritdoc/>
    protected override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) => Match(root, diagnostic) is not null;

    /// <inheritdoc/>
    protected override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var edits = new RootEdits();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            Plan(root, model, diagnostic, edits);
        }

        return edits.Apply(root);
    }

    /// <summary>Whether this fix applies to <paramref name="diagnostic"/>, for <see cref="AtomicUpdateFix"/>.</summary>
    internal bool Accepts(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) => CanFix(root, model, diagnostic);

    /// <summary>Adds the exchange and the removal of the reset <paramref name="diagnostic"/> points at to <paramref name="edits"/>.</summary>
    internal void Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, RootEdits edits)
    {
        if (Match(root, diagnostic) is { } pair)
        {
            ExpressionSyntax interlocked = SyntaxHelpers.TypeName(model, pair.Read.SpanStart, "System.Threading", "Interlocked", out bool missing);
            edits.NeedsThreadingUsing |= missing;
            ExpressionSyntax exchange = SyntaxHelpers.StaticCall(interlocked, "Exchange", SyntaxHelpers.RefArgument(pair.Field), Argument(pair.Value.WithoutTrivia()));
            edits.Replace(pair.Read, exchange.WithTriviaFrom(pair.Read).WithAdditionalAnnotations(Formatter.Annotation));
            edits.Remove(pair.Reset);
        }
    }

    private sealed class Pair
    {
        public Pair(ExpressionSyntax read, StatementSyntax reset, ExpressionSyntax field, ExpressionSyntax value)
        {
            Read = read;
            Reset = reset;
            Field = field;
            Value = value;
        }

        /// <summary>The read to replace (an initializer or an assignment's right side).</summary>
        public ExpressionSyntax Read { get; }

        /// <summary>The reset statement to remove.</summary>
        public StatementSyntax Reset { get; }

        public ExpressionSyntax Field { get; }

        public ExpressionSyntax Value { get; }
    }

    /// <summary>The reset the diagnostic points at, and the read in the statement just before it, when they match.</summary>
    private static Pair? Match(SyntaxNode root, Diagnostic diagnostic)
    {
        SyntaxNode node = FindNode(root, diagnostic);
        if (node.FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { Parent: BlockSyntax block } reset
            || ResetOf(reset.Expression) is not var (field, value)
            || !ReferenceEquals(node, reset.Expression) && !reset.Expression.Span.Contains(node.Span))
        {
            return null;
        }

        int index = block.Statements.IndexOf(reset);
        if (index <= 0)
        {
            return null;
        }

        ExpressionSyntax? read = block.Statements[index - 1] switch
        {
            LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } => variables[0].Initializer?.Value,
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment } => assignment.Right,
            _ => null,
        };
        return read is not null && ReadTarget(read) is { } readField && SyntaxFactory.AreEquivalent(readField, field)
            ? new Pair(read, reset, field, value)
            : null;
    }

    /// <summary><c>f = v</c> or <c>Volatile.Write(ref f, v)</c>: the field and the value.</summary>
    private static (ExpressionSyntax Field, ExpressionSyntax Value)? ResetOf(ExpressionSyntax expression) => expression switch
    {
        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment => (assignment.Left, assignment.Right),
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Write" } access, ArgumentList.Arguments: { Count: 2 } arguments }
            when IsType(access.Expression, "Volatile") && arguments[0].RefKindKeyword.IsKind(SyntaxKind.RefKeyword) => (arguments[0].Expression, arguments[1].Expression),
        _ => null,
    };

    /// <summary><c>f</c>, <c>Volatile.Read(ref f)</c> or <c>Interlocked.Read(ref f)</c>: the field read.</summary>
    private static ExpressionSyntax? ReadTarget(ExpressionSyntax read) => read switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Read" } access, ArgumentList.Arguments: { Count: 1 } arguments }
            when IsType(access.Expression, "Volatile") || IsType(access.Expression, "Interlocked") => arguments[0].Expression,
        IdentifierNameSyntax or MemberAccessExpressionSyntax or ElementAccessExpressionSyntax => read,
        _ => null,
    };

    private static bool IsType(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText == name,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText == name,
        _ => false,
    };
}
