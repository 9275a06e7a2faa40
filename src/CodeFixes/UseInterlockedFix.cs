using System.Collections.Generic;
using System.Collections.Immutable;
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
/// MEM2001 (and MEM2007 on the same shapes): turns <c>x++</c>, <c>x--</c>, <c>x += v</c>, <c>x -= v</c> on an
/// <c>int</c> or <c>long</c> into <c>Interlocked.Increment</c>/<c>Decrement</c>/<c>Add</c>, keeping the value the
/// expression had when it is used. Fixing one update of a field makes the others MEM2007, so both ids are fixed.
/// Not exported on its own: <see cref="AtomicUpdateFix"/> offers it with the read-then-reset fix, as one provider
/// per diagnostic id (tools that apply fixes, such as dotnet format, apply one provider's Fix All per id and pass).
/// </summary>
public sealed class UseInterlockedFix : DocumentFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.NonAtomicReadModifyWrite, RuleIdentifiers.MixedAtomicAndPlainWrite);

    /// <summary>The light bulb's title, also <see cref="AtomicUpdateFix"/>'s for this shape.</summary>
    internal const string FixTitle = "Use Interlocked";

    /// <inheritdoc/>
    protected override string Title => FixTitle;

    /// <inheritdoc/>
    protected override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) =>
        Update(root, diagnostic) is { } update && IsIntOrLong(model, update.Target, CancellationToken.None);

    /// <inheritdoc/>
    protected override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var edits = new RootEdits();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            Plan(root, model, diagnostic, edits, cancellationToken);
        }

        return edits.Apply(root);
    }

    /// <summary>Whether this fix applies to <paramref name="diagnostic"/>, for <see cref="AtomicUpdateFix"/>.</summary>
    internal bool Accepts(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) => CanFix(root, model, diagnostic);

    /// <summary>Adds the rewrite of the update <paramref name="diagnostic"/> points at to <paramref name="edits"/>.</summary>
    internal void Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, RootEdits edits, CancellationToken cancellationToken)
    {
        if (Update(root, diagnostic) is { } update && IsIntOrLong(model, update.Target, cancellationToken))
        {
            ExpressionSyntax interlocked = SyntaxHelpers.TypeName(model, update.Expression.SpanStart, "System.Threading", "Interlocked", out bool missing);
            edits.NeedsThreadingUsing |= missing;
            edits.Replace(update.Expression, Rewrite(update, interlocked).WithTriviaFrom(update.Expression).WithAdditionalAnnotations(Formatter.Annotation));
        }
    }

    private static (ExpressionSyntax Expression, ExpressionSyntax Target, SyntaxKind Kind, ExpressionSyntax? Amount)? Update(SyntaxNode root, Diagnostic diagnostic) =>
        FindNode(root, diagnostic) switch
        {
            PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression) =>
                (postfix, postfix.Operand, postfix.Kind(), null),
            PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression) =>
                (prefix, prefix.Operand, prefix.Kind(), null),
            AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.AddAssignmentExpression) || assignment.IsKind(SyntaxKind.SubtractAssignmentExpression) =>
                (assignment, assignment.Left, assignment.Kind(), assignment.Right),
            _ => null,
        };

    private static bool IsIntOrLong(SemanticModel model, ExpressionSyntax target, CancellationToken cancellationToken) =>
        model.GetTypeInfo(target, cancellationToken).Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;

    private static ExpressionSyntax Rewrite((ExpressionSyntax Expression, ExpressionSyntax Target, SyntaxKind Kind, ExpressionSyntax? Amount) update, ExpressionSyntax interlocked)
    {
        ArgumentSyntax reference = SyntaxHelpers.RefArgument(update.Target);
        bool increments = update.Kind is SyntaxKind.PostIncrementExpression or SyntaxKind.PreIncrementExpression;
        ExpressionSyntax call = update.Kind switch
        {
            SyntaxKind.AddAssignmentExpression => SyntaxHelpers.StaticCall(interlocked, "Add", reference, Argument(update.Amount!.WithoutTrivia())),
            SyntaxKind.SubtractAssignmentExpression => SyntaxHelpers.StaticCall(interlocked, "Add", reference, Argument(
                PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, ParenthesizedExpression(update.Amount!.WithoutTrivia())))),
            _ => SyntaxHelpers.StaticCall(interlocked, increments ? "Increment" : "Decrement", reference),
        };

        // Interlocked returns the new value; a postfix expression whose value is used meant the old one.
        bool valueUsed = update.Expression.Parent is not ExpressionStatementSyntax;
        if (valueUsed && update.Kind is SyntaxKind.PostIncrementExpression or SyntaxKind.PostDecrementExpression)
        {
            var one = LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1));
            return ParenthesizedExpression(BinaryExpression(increments ? SyntaxKind.SubtractExpression : SyntaxKind.AddExpression, call, one));
        }

        return call;
    }
}
