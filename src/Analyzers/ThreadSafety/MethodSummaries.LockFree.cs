using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Fields used only through atomic calls: a lock-free field, whose object a thread that exchanges it out owns
/// (<see cref="ExchangedOutField"/>).
/// </summary>
internal sealed partial class MethodSummaries
{
    private readonly Dictionary<IFieldSymbol, bool> _lockFree = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Whether <paramref name="field"/> is private and every use of it outside its type's constructors passes it by
    /// reference to an <c>Interlocked</c> (or <c>ImmutableInterlocked</c>) or <c>Volatile</c> member: no thread reads the
    /// object in it but atomically, as a compare-and-swap loop does to link or compare it. Private, so every use is in
    /// its type's declarations (nested types included); constructors run before the object is shared.
    /// </summary>
    public bool IsLockFree(IFieldSymbol field, CancellationToken cancellationToken)
    {
        field = field.OriginalDefinition;
        lock (_gate)
        {
            if (!_lockFree.TryGetValue(field, out bool known))
            {
                known = field.DeclaredAccessibility == Accessibility.Private && OnlyAtomicUses(field, cancellationToken);
                _lockFree[field] = known;
            }

            return known;
        }
    }

    private bool OnlyAtomicUses(IFieldSymbol field, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference declaration in field.ContainingType.DeclaringSyntaxReferences)
        {
            SemanticModel model = ModelFor(declaration.SyntaxTree);
            foreach (SyntaxNode node in declaration.GetSyntax(cancellationToken).DescendantNodes())
            {
                if (node is not IdentifierNameSyntax name
                    || name.Identifier.ValueText != field.Name
                    || InConstructor(name, field)
                    || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol?.OriginalDefinition, field))
                {
                    continue;
                }

                // _head, or this._head: the reference is the member access when the name is its right side.
                SyntaxNode reference = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (model.GetOperation(reference, cancellationToken)?.OutermostConversion().Parent is not IArgumentOperation
                    {
                        Parameter.RefKind: RefKind.Ref or RefKind.In or RefKind.RefReadOnlyParameter,
                        Parent: IInvocationOperation { TargetMethod: var method },
                    }
                    || !(_symbols.IsInterlocked(method) || _symbols.IsVolatileRead(method) || _symbols.IsVolatileWrite(method)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="node"/> runs in a constructor of <paramref name="field"/>'s type (of its staticness),
    /// before the object is shared: not in a lambda or local function written there, which may run later.
    /// </summary>
    private static bool InConstructor(SyntaxNode node, IFieldSymbol field)
    {
        foreach (SyntaxNode ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseTypeDeclarationSyntax:
                    return false;
                case ConstructorDeclarationSyntax constructor:
                    return constructor.Modifiers.Any(SyntaxKind.StaticKeyword) == field.IsStatic
                        && constructor.Parent is { } type
                        && field.ContainingType.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == type.SyntaxTree && r.Span == type.Span);
            }
        }

        return false;
    }
}
