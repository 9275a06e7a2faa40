using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// What a field (or auto-property) is filled with, read from syntax: its initializer and the right-hand side of every
/// assignment to it in its class's source, by name or through <c>this.</c> (<c>_state = new State(…)</c>,
/// <c>_list ??= new()</c>). A field of a class is assigned through its own name there; a local of the same name would
/// be taken for it, which the rules that ask accept (they only narrow what they judge).
/// </summary>
internal static class FieldWrites
{
    /// <summary>Every value <paramref name="field"/> is given in its class's source, in no particular order.</summary>
    public static IEnumerable<ExpressionSyntax> ValuesOf(IFieldSymbol field)
    {
        ISymbol declared = field.AssociatedSymbol ?? field;
        string name = declared.Name;
        foreach (SyntaxReference reference in declared.DeclaringSyntaxReferences)
        {
            ExpressionSyntax? initial = reference.GetSyntax() switch
            {
                VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                PropertyDeclarationSyntax property => property.Initializer?.Value,
                _ => null,
            };
            if (initial is not null)
            {
                yield return initial;
            }
        }

        foreach (SyntaxReference reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (AssignmentExpressionSyntax assignment in reference.GetSyntax().DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                bool target = assignment.Left switch
                {
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var member } => member.Identifier.ValueText == name,
                    _ => false,
                };
                if (target)
                {
                    yield return assignment.Right;
                }
            }
        }
    }

    /// <summary>The object creation <paramref name="value"/> is, parentheses aside; null when it is anything else.</summary>
    public static BaseObjectCreationExpressionSyntax? Creation(ExpressionSyntax value)
    {
        while (value is ParenthesizedExpressionSyntax parenthesized)
        {
            value = parenthesized.Expression;
        }

        return value as BaseObjectCreationExpressionSyntax;
    }
}
