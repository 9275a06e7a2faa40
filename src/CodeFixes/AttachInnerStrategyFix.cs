using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using MemoryStrategy.Analyzers;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// MEM1010: attaches the inner strategy at the end of every constructor of the holder (each one that does not chain to
/// another with <c>this(…)</c>), or in a new parameterless constructor when the class declares none:
/// <c>_fallback.StatusTracker.AttachTo(StatusTracker, "fallback");</c>, or a loop over a collection's elements (an
/// array, a list) or a dictionary's entries; for a helper object's field, the same for each of the helper's members
/// that hold strategies (<c>_state.Fallback</c>). The role is the field's (or auto-property's, or helper member's) name
/// without its leading underscore. Offered only when every constructor of the class is in the declaration that holds the field, so none
/// is missed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AttachInnerStrategyFix))]
[Shared]
public sealed class AttachInnerStrategyFix : DocumentFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.InnerStrategyNotAttached);

    /// <inheritdoc/>
    protected override string Title => "Attach the inner strategy in the constructor";

    /// <inheritdoc/>
    protected override bool CanFix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic) =>
        Field(root, diagnostic) is { } declaration
        && declaration.FirstAncestorOrSelf<ClassDeclarationSyntax>() is { } holder
        && model.GetDeclaredSymbol(holder) is { } type
        && type.InstanceConstructors.All(ctor => ctor.IsImplicitlyDeclared
            || ctor.DeclaringSyntaxReferences.All(reference => holder.Span.Contains(reference.Span) && reference.SyntaxTree == root.SyntaxTree))
        && HelperMembersReachable(declaration, model, type);

    /// <summary>
    /// For a field holding a helper object, whether the holder can reach each of the helper's strategy members (a
    /// private field of a nested helper class cannot be named from outside it): the fix names them all, or is not offered.
    /// </summary>
    private static bool HelperMembersReachable(SyntaxNode declaration, SemanticModel model, INamedTypeSymbol holder)
    {
        ITypeSymbol? type = DeclaredType(declaration, model);
        return type is null
            || model.Compilation.GetTypeByMetadataName(MarkerNames.IMemoryStrategy) is not { } contract
            || InnerStrategyTypes.HelperMembers(type, holder, contract).All(member => model.IsAccessible(declaration.SpanStart, member.AssociatedSymbol ?? member));
    }

    /// <summary>The type of the field or auto-property <paramref name="declaration"/> declares; null for anything else.</summary>
    private static ITypeSymbol? DeclaredType(SyntaxNode declaration, SemanticModel model) => model.GetDeclaredSymbol(declaration) switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    /// <inheritdoc/>
    protected override SyntaxNode Fix(SyntaxNode root, SemanticModel model, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        // One edit per class, with the statements of all its fields being fixed, so Fix All adds them together.
        var byClass = diagnostics
            .Select(d => Field(root, d))
            .OfType<SyntaxNode>()
            .GroupBy(declaration => declaration.FirstAncestorOrSelf<ClassDeclarationSyntax>()!)
            .ToDictionary(group => group.Key, group => group.SelectMany(declaration => AttachStatements(declaration, model)).ToArray());

        return root.ReplaceNodes(byClass.Keys, (original, rewritten) => AddToConstructors(rewritten, byClass[original]));
    }

    /// <summary>The field's declarator, or the auto-property's declaration, that the diagnostic points at.</summary>
    private static SyntaxNode? Field(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is { } node
            ? (SyntaxNode?)node.FirstAncestorOrSelf<VariableDeclaratorSyntax>() ?? node.FirstAncestorOrSelf<PropertyDeclarationSyntax>()
            : null;

    /// <summary>
    /// <c>f.StatusTracker.AttachTo(StatusTracker, "role");</c>, or a <c>foreach</c> over the elements of a collection
    /// field (<c>inner.StatusTracker…</c>) or the entries of a dictionary field (<c>inner.Value.StatusTracker…</c>); for a
    /// field holding a helper object, the same for each of the helper's members that hold strategies
    /// (<c>_state.Fallback.StatusTracker.AttachTo(StatusTracker, "Fallback");</c>).
    /// </summary>
    private static IEnumerable<StatementSyntax> AttachStatements(SyntaxNode declaration, SemanticModel model)
    {
        string name = declaration is PropertyDeclarationSyntax property ? property.Identifier.ValueText : ((VariableDeclaratorSyntax)declaration).Identifier.ValueText;
        ITypeSymbol? type = DeclaredType(declaration, model);
        INamedTypeSymbol? contract = model.Compilation.GetTypeByMetadataName(MarkerNames.IMemoryStrategy);
        INamedTypeSymbol? holder = model.GetDeclaredSymbol(declaration)?.ContainingType;
        if (type is null || contract is null || holder is null)
        {
            return [Attach(IdentifierName(name), Role(name), InnerStrategyHolding.Itself)];
        }

        ImmutableArray<IFieldSymbol> members = InnerStrategyTypes.HelperMembers(type, holder, contract);
        if (members.IsEmpty)
        {
            return [Attach(IdentifierName(name), Role(name), InnerStrategyTypes.HowHeld(type, contract))];
        }

        return members.Select(member =>
        {
            string memberName = AutoProperties.SourceName(member);
            ExpressionSyntax path = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(name), IdentifierName(memberName));
            return Attach(path, Role(memberName), InnerStrategyTypes.HowHeld(member.Type, contract));
        });
    }

    /// <summary>The role a field is attached under: its name without a leading underscore.</summary>
    private static string Role(string name) => name.TrimStart('_') is { Length: > 0 } trimmed ? trimmed : name;

    /// <summary>The attach of what <paramref name="held"/> holds, as <paramref name="holding"/> says.</summary>
    private static StatementSyntax Attach(ExpressionSyntax held, string role, InnerStrategyHolding holding)
    {
        StatementSyntax AttachOne(ExpressionSyntax inner) => ExpressionStatement(
            InvocationExpression(
                MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, inner, IdentifierName("StatusTracker")),
                    IdentifierName("AttachTo")),
                ArgumentList(SeparatedList(new[]
                {
                    Argument(IdentifierName("StatusTracker")),
                    Argument(LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(role))),
                }))));

        ExpressionSyntax element = holding == InnerStrategyHolding.Values
            ? MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName("inner"), IdentifierName("Value"))
            : IdentifierName("inner");
        StatementSyntax statement = holding is InnerStrategyHolding.Elements or InnerStrategyHolding.Values
            ? ForEachStatement(IdentifierName("var"), Identifier("inner"), held, Block(AttachOne(element)))
            : AttachOne(held);
        return statement.WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static ClassDeclarationSyntax AddToConstructors(ClassDeclarationSyntax holder, StatementSyntax[] statements)
    {
        ConstructorDeclarationSyntax[] constructors = holder.Members.OfType<ConstructorDeclarationSyntax>()
            .Where(ctor => !ctor.Modifiers.Any(SyntaxKind.StaticKeyword))
            .ToArray();
        if (constructors.Length == 0)
        {
            ConstructorDeclarationSyntax created = ConstructorDeclaration(holder.Identifier.WithoutTrivia())
                .WithModifiers(TokenList(Token(SyntaxKind.PublicKeyword)))
                .WithBody(Block(statements))
                .WithAdditionalAnnotations(Formatter.Annotation);
            int firstMethod = holder.Members.IndexOf(member => member is MethodDeclarationSyntax);
            return firstMethod < 0 ? holder.AddMembers(created) : holder.WithMembers(holder.Members.Insert(firstMethod, created));
        }

        // A constructor that chains to this(...) runs the chained one, which attaches.
        return holder.ReplaceNodes(
            constructors.Where(ctor => ctor.Initializer?.IsKind(SyntaxKind.ThisConstructorInitializer) != true),
            (_, ctor) => WithStatementsAtEnd(ctor, statements));
    }

    private static ConstructorDeclarationSyntax WithStatementsAtEnd(ConstructorDeclarationSyntax ctor, StatementSyntax[] statements)
    {
        BlockSyntax body = ctor.Body
            ?? (ctor.ExpressionBody is { } arrow ? Block(ExpressionStatement(arrow.Expression)) : Block());
        return ctor.WithExpressionBody(null)
            .WithSemicolonToken(default)
            .WithBody(body.AddStatements(statements))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }
}
