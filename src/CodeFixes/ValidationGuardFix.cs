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
/// MEM3003: inserts the C interface's "always validate before use" before the statement:
/// <c>if (!StrategyValidator.ValidateStrategy(s)) return ...;</c> (or a throw when the method has no value to
/// return). Not offered when the strategy comes straight from a call: there is no variable to validate.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ValidationGuardFix))]
[Shared]
public sealed class ValidationGuardFix : GuardStatementFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.UseBeforeValidation);

    /// <inheritdoc/>
    protected override string Title => "Validate the strategy first";

    /// <inheritdoc/>
    protected override string? GuardNamespace => "MemoryStrategy";

    /// <inheritdoc/>
    protected override string ExitReason => "The memory strategy failed validation.";

    /// <inheritdoc/>
    /// <remarks>
    /// Not for a strategy read from a getter that makes a new one on every read: a guard on one read would validate a
    /// strategy nobody then uses (the analyzer marks such a diagnostic).
    /// </remarks>
    protected override bool Guards(Diagnostic diagnostic) => !diagnostic.Properties.ContainsKey(UseBeforeValidationProperties.NewOnEveryRead);

    /// <inheritdoc/>
    protected override ExpressionSyntax? Subject(SyntaxNode diagnosed) =>
        diagnosed is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var receiver } }
        && SyntaxHelpers.IsMemberPath(receiver)
            ? receiver
            : null;

    /// <inheritdoc/>
    protected override StatementSyntax Guard(ExpressionSyntax subject, StatementSyntax exit, SemanticModel model, int position, ref bool needsUsing)
    {
        ExpressionSyntax validator = SyntaxHelpers.TypeName(model, position, "MemoryStrategy", "StrategyValidator", out bool missing);
        needsUsing |= missing;
        ExpressionSyntax call = SyntaxHelpers.StaticCall(validator, "ValidateStrategy", Argument(subject));
        return IfStatement(PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, call), exit);
    }
}
