using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// Syntax the fixes share: the statement to guard, the way out of a method, type names with their usings, and calls
/// to a type's static methods.
/// </summary>
internal static class SyntaxHelpers
{
    /// <summary>
    /// A name, or names and elements read one through another from a name or <c>this</c> (<c>p</c>,
    /// <c>other.Current</c>, <c>this._state.Block</c>, <c>holders[0].Pool</c>, <c>_blocks[i]</c>): the variables and
    /// member paths the dataflow rules follow, which a guard can test. An element's index is a literal or a name.
    /// </summary>
    public static bool IsMemberPath(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case MemberAccessExpressionSyntax { Name: IdentifierNameSyntax } access:
                    expression = access.Expression;
                    break;
                case ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } element
                    when arguments[0].Expression is LiteralExpressionSyntax or IdentifierNameSyntax:
                    expression = element.Expression;
                    break;
                default:
                    return expression is IdentifierNameSyntax;
            }

            if (expression is ThisExpressionSyntax)
            {
                return true;
            }
        }
    }

    /// <summary>The statement around <paramref name="node"/> that sits directly in a block, where statements can be inserted.</summary>
    public static StatementSyntax? StatementInBlock(SyntaxNode node)
    {
        foreach (StatementSyntax statement in node.AncestorsAndSelf().OfType<StatementSyntax>())
        {
            if (statement.Parent is BlockSyntax)
            {
                return statement;
            }

            if (statement.Parent is not StatementSyntax)
            {
                return null; // an expression-bodied member or a lambda body: no block to insert into.
            }
        }

        return null;
    }

    /// <summary>
    /// The statement that leaves the function around <paramref name="node"/> without doing its work: <c>return;</c>,
    /// <c>return false;</c>, <c>return null;</c> (pointers and nullable results), or a throw where no value fits.
    /// </summary>
    public static StatementSyntax EarlyExit(SemanticModel model, SyntaxNode node, string reason)
    {
        ISymbol? function = model.GetEnclosingSymbol(node.SpanStart);
        // A lambda's own return type, as a method's (GetEnclosingSymbol gives the innermost function).
        if (function is IMethodSymbol method)
        {
            if (method.IsIterator())
            {
                return YieldStatement(SyntaxKind.YieldBreakStatement);
            }

            ITypeSymbol returnType = method.ReturnType;
            if (method.ReturnsVoid || method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor)
            {
                return ReturnStatement();
            }

            if (!method.IsAsync)
            {
                if (returnType.SpecialType == SpecialType.System_Boolean)
                {
                    return ReturnStatement(LiteralExpression(SyntaxKind.FalseLiteralExpression));
                }

                if (returnType is IPointerTypeSymbol
                    || returnType.NullableAnnotation == NullableAnnotation.Annotated
                    || returnType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                {
                    return ReturnStatement(LiteralExpression(SyntaxKind.NullLiteralExpression));
                }
            }
        }

        return ThrowStatement(ObjectCreationExpression(ParseTypeName("global::System.InvalidOperationException"))
            .WithArgumentList(ArgumentList(SingletonSeparatedList(Argument(
                LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(reason)))))));
    }

    /// <summary>
    /// <paramref name="typeName"/> as it can be written at <paramref name="position"/>: the simple name when it binds
    /// there, otherwise the simple name plus a using directive (<paramref name="needsUsing"/>) for its namespace.
    /// </summary>
    public static ExpressionSyntax TypeName(SemanticModel model, int position, string namespaceName, string typeName, out bool needsUsing)
    {
        string fullName = namespaceName + "." + typeName;
        needsUsing = !model.LookupNamespacesAndTypes(position, name: typeName)
            .Any(symbol => symbol is INamedTypeSymbol type && type.ToDisplayString() == fullName);
        return IdentifierName(typeName);
    }

    /// <summary>Adds <c>using <paramref name="namespaceName"/>;</c> to the file unless it is there.</summary>
    public static SyntaxNode AddUsing(SyntaxNode root, string namespaceName)
    {
        if (root is not CompilationUnitSyntax unit || unit.Usings.Any(u => u.Name?.ToString() == namespaceName))
        {
            return root;
        }

        UsingDirectiveSyntax directive = UsingDirective(ParseName(namespaceName)).NormalizeWhitespace().WithTrailingTrivia(ElasticCarriageReturnLineFeed);
        return unit.AddUsings(directive);
    }

    /// <summary><c>Type.Method(arguments)</c>, with <paramref name="type"/> as <see cref="TypeName"/> wrote it.</summary>
    public static InvocationExpressionSyntax StaticCall(ExpressionSyntax type, string method, params ArgumentSyntax[] arguments) =>
        InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, type, IdentifierName(method)))
            .WithArgumentList(ArgumentList(SeparatedList(arguments)));

    /// <summary><c>ref target</c>, the first argument of every <c>Interlocked</c> call.</summary>
    public static ArgumentSyntax RefArgument(ExpressionSyntax target) =>
        Argument(target.WithoutTrivia()).WithRefKindKeyword(Token(TriviaList(), SyntaxKind.RefKeyword, TriviaList(Space)));

    private static bool IsIterator(this IMethodSymbol method)
    {
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax().DescendantNodes(n => n is not (LambdaExpressionSyntax or LocalFunctionStatementSyntax or AnonymousMethodExpressionSyntax))
                .Any(n => n is YieldStatementSyntax))
            {
                return true;
            }
        }

        return false;
    }
}
