using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// <c>private object Gate =&gt; _gate; lock (Gate) { ... }</c>: a get-only property whose getter only returns a
/// readonly field of its own type always hands out the object in that field, so locking on it is locking on the
/// field. Without this, <c>lock (Gate)</c> and <c>lock (_gate)</c> would count as two locks that exclude nothing
/// of each other. A property that computes, chooses or can be overridden is left its own lock.
/// </summary>
internal static class LockProperty
{
    /// <summary>The readonly field <paramref name="property"/>'s getter returns, or null.</summary>
    public static IFieldSymbol? FieldOf(IPropertySymbol property)
    {
        if (property.SetMethod is not null || property.IsVirtual || property.IsOverride || property.IsAbstract || property.IsIndexer)
        {
            return null;
        }

        foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is PropertyDeclarationSyntax declaration
                && ReturnedName(declaration) is { } name
                && property.ContainingType.GetMembers(name).OfType<IFieldSymbol>().FirstOrDefault() is { IsReadOnly: true } field
                && field.IsStatic == property.IsStatic)
            {
                return field;
            }
        }

        return null;
    }

    /// <summary><c>=&gt; _gate</c>, <c>=&gt; this._gate</c>, <c>{ get =&gt; _gate; }</c> or <c>{ get { return _gate; } }</c>: the name returned.</summary>
    private static string? ReturnedName(PropertyDeclarationSyntax declaration)
    {
        ExpressionSyntax? returned = declaration.ExpressionBody?.Expression;
        if (returned is null && declaration.AccessorList?.Accessors is { Count: 1 } accessors && accessors[0].Keyword.Text == "get")
        {
            returned = accessors[0].ExpressionBody?.Expression
                ?? (accessors[0].Body?.Statements is { Count: 1 } statements && statements[0] is ReturnStatementSyntax only ? only.Expression : null);
        }

        return returned switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax member } => member.Identifier.ValueText,
            _ => null,
        };
    }
}
