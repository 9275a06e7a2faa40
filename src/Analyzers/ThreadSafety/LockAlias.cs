using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// <c>var g = _gate; lock (g) { ... }</c>: a local whose every write stores the same readonly lock field of this
/// object (or a static one) holds that lock, so locking on it is locking on the field. Anything else written to
/// the local, or a write the analysis cannot see through (<c>ref</c>, <c>out</c>, deconstruction), leaves the local
/// its own lock.
/// </summary>
internal static class LockAlias
{
    /// <summary>The readonly field <paramref name="reference"/>'s local always holds, or null.</summary>
    public static IFieldSymbol? FieldOf(ILocalReferenceOperation reference)
    {
        ILocalSymbol local = reference.Local;
        if (local.RefKind != RefKind.None)
        {
            return null;
        }

        IOperation root = reference;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        IFieldSymbol? field = null;
        foreach (IOperation operation in root.DescendantsAndSelf())
        {
            IOperation? stored = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) =>
                    declarator.Initializer?.Value ?? declarator.GetVariableInitializer()?.Value,
                ILocalReferenceOperation use when SymbolEqualityComparer.Default.Equals(use.Local, local) => StoredBy(use, out bool opaque) is { } value ? value : opaque ? use : null,
                _ => null,
            };
            if (stored is null)
            {
                continue;
            }

            if (stored.WithoutConversions() is not IFieldReferenceOperation { Field: { IsReadOnly: true } read } fieldReference
                || !LockId.IsOwnMember(fieldReference.Instance)
                || (field is not null && !SymbolEqualityComparer.Default.Equals(field, read)))
            {
                return null;
            }

            field = read;
        }

        return field;
    }

    /// <summary>
    /// The value a use of the local stores into it, or null for a read; a use that writes in a way other than a plain
    /// assignment is <paramref name="opaque"/>.
    /// </summary>
    private static IOperation? StoredBy(ILocalReferenceOperation use, out bool opaque)
    {
        opaque = false;
        switch (use.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == use:
                return assignment.Value;
            case IAssignmentOperation assignment when assignment.Target == use:
            case IIncrementOrDecrementOperation:
            case IArgumentOperation { ArgumentKind: not ArgumentKind.DefaultValue } argument when argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out:
            case IDeclarationExpressionOperation:
            case ITupleOperation:
            case IAddressOfOperation:
                opaque = true;
                return null;
            default:
                return null;
        }
    }
}
