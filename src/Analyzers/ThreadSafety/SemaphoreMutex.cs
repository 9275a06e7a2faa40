using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// <c>private readonly SemaphoreSlim _gate = new(1, 1);</c>: a semaphore that admits one thread and can never be
/// released past one is a mutex, so <c>_gate.Wait()</c> ... <c>_gate.Release()</c> is a lock. Only that form counts:
/// <c>new SemaphoreSlim(1)</c> has a maximum count of <c>int.MaxValue</c>, and one <c>Release</c> too many (a
/// mistake the type does not catch) lets two threads in from then on; a count above one admits several threads by
/// design. The field must be readonly, and every value stored into it (its initialiser, its constructors'
/// assignments) must be such a semaphore: otherwise a later store could put another semaphore there.
/// </summary>
internal static class SemaphoreMutex
{
    /// <summary>Whether <paramref name="field"/> only ever holds a <c>SemaphoreSlim(1, 1)</c>.</summary>
    public static bool IsMutex(IFieldSymbol field)
    {
        if (!field.IsReadOnly)
        {
            return false;
        }

        bool created = false;
        foreach (SyntaxReference reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initial })
            {
                if (!IsMutexCreation(initial))
                {
                    return false;
                }

                created = true;
            }
        }

        foreach (IMethodSymbol constructor in field.IsStatic ? field.ContainingType.StaticConstructors : field.ContainingType.InstanceConstructors)
        {
            foreach (SyntaxReference reference in constructor.DeclaringSyntaxReferences)
            {
                if (!StoresOnlyMutexes(reference.GetSyntax(), field.Name, ref created))
                {
                    return false;
                }
            }
        }

        return created;
    }

    /// <summary>
    /// Whether every store into <paramref name="name"/> in a constructor is a mutex creation. Matching by name may
    /// take a local of the same name for the field: that only ever makes the answer "no", never a wrong "yes".
    /// </summary>
    private static bool StoresOnlyMutexes(SyntaxNode constructor, string name, ref bool created)
    {
        foreach (SyntaxNode node in constructor.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax assignment && NamesField(assignment.Left, name))
            {
                if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) || !IsMutexCreation(assignment.Right))
                {
                    return false;
                }

                created = true;
            }
            else if (node is ArgumentSyntax { RefKindKeyword.RawKind: not 0 } argument && NamesField(argument.Expression, name))
            {
                return false; // Init(out _gate): stored by code not seen here
            }
        }

        return true;
    }

    private static bool NamesField(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax member } => member.Identifier.ValueText == name,
        _ => false,
    };

    /// <summary><c>new SemaphoreSlim(1, 1)</c> or <c>new(1, 1)</c>, the arguments named or not (both are 1).</summary>
    private static bool IsMutexCreation(ExpressionSyntax value)
    {
        ArgumentListSyntax? arguments = value switch
        {
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList,
            ObjectCreationExpressionSyntax { Type: var type } creation when TypeName(type) == "SemaphoreSlim" => creation.ArgumentList,
            _ => null,
        };

        if (arguments is not { Arguments.Count: 2 })
        {
            return false;
        }

        foreach (ArgumentSyntax argument in arguments.Arguments)
        {
            if (argument.Expression is not LiteralExpressionSyntax { Token.Value: int one } || one != 1)
            {
                return false;
            }
        }

        return true;
    }

    private static string? TypeName(TypeSyntax type) => type switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        _ => null,
    };
}
