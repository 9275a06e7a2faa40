using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// What the compiler reports where the generated half calls a user's symbol (a core, the exported constructor) that the
/// user marked for their own callers: <c>[Obsolete]</c> (CS0612, CS0618, or the attribute's <c>DiagnosticId</c>;
/// CS0619 as an error) and <c>[Experimental]</c> (an error under the attribute's id, which a pragma may suppress).
/// </summary>
internal static class CallSiteMarks
{
    private const string Obsolete = "System.ObsoleteAttribute";
    private const string Experimental = "System.Diagnostics.CodeAnalysis.ExperimentalAttribute";

    /// <summary>
    /// Whether <paramref name="symbol"/> is <c>[Obsolete]</c> as an error: a call to it does not compile, and no pragma
    /// can allow it, so the generated half cannot call it at all.
    /// </summary>
    public static bool IsObsoleteAsError(ISymbol symbol)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == Obsolete
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[1].Value is true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The ids of the diagnostics a call to <paramref name="symbol"/> reports under an id of the user's choosing
    /// (<c>[Obsolete(DiagnosticId = ...)]</c>, <c>[Experimental(...)]</c>), which the generated file must turn off for
    /// itself: the mark is for the user's own callers, and in a file they cannot edit it would be a warning (or, for
    /// <c>[Experimental]</c>, an error) they could only silence project-wide. Ids a pragma cannot name are left out.
    /// </summary>
    public static IEnumerable<string> UserDiagnosticIds(ISymbol symbol)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            string? id = attribute.AttributeClass?.ToDisplayString() switch
            {
                Obsolete => NamedString(attribute, "DiagnosticId"),
                Experimental => attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null,
                _ => null,
            };
            if (id is not null && IsPragmaName(id))
            {
                yield return id;
            }
        }
    }

    private static string? NamedString(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Kind == TypedConstantKind.Primitive)
            {
                return argument.Value.Value as string;
            }
        }

        return null;
    }

    /// <summary>An id <c>#pragma warning disable</c> accepts: letters, digits and underscores (CS0618, POOL0001).</summary>
    private static bool IsPragmaName(string id)
    {
        if (id.Length == 0)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }

        return true;
    }
}
