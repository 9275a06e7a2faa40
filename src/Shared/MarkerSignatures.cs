using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>The one definition of each marker method's required signature.</summary>
internal static class MarkerSignatures
{
    /// <summary>The signature a marker requires, as users read it in a diagnostic.</summary>
    public static string Describe(MarkerKind kind) => kind switch
    {
        MarkerKind.Allocate => "void* M(nuint size)",
        MarkerKind.Deallocate => "void M(void* ptr)",
        MarkerKind.Owns => "bool M(void* ptr)",
        MarkerKind.Validate => "bool M()",
        MarkerKind.Cleanup => "void M()",
        _ => "?",
    };

    /// <summary>The attribute's name as written in source (<c>[Allocate]</c>).</summary>
    public static string AttributeName(MarkerKind kind) => kind.ToString();

    /// <summary>Whether <paramref name="method"/> has the signature <paramref name="kind"/> requires.</summary>
    public static bool Matches(IMethodSymbol method, MarkerKind kind)
    {
        if (method.IsStatic || method.IsGenericMethod || method.IsAsync || method.IsAbstract
            || method.MethodKind != MethodKind.Ordinary || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return false;
        }

        return kind switch
        {
            MarkerKind.Allocate => IsVoidPointer(method.ReturnType) && HasSingleParameter(method, IsNativeUnsignedInt),
            MarkerKind.Deallocate => method.ReturnsVoid && HasSingleParameter(method, IsVoidPointer),
            MarkerKind.Owns => IsBoolean(method.ReturnType) && HasSingleParameter(method, IsVoidPointer),
            MarkerKind.Validate => IsBoolean(method.ReturnType) && method.Parameters.Length == 0,
            MarkerKind.Cleanup => method.ReturnsVoid && method.Parameters.Length == 0,
            _ => false,
        };
    }

    private static bool HasSingleParameter(IMethodSymbol method, System.Func<ITypeSymbol, bool> isExpected) =>
        method.Parameters.Length == 1
        && method.Parameters[0].RefKind == RefKind.None
        && !method.Parameters[0].IsParams
        && isExpected(method.Parameters[0].Type);

    private static bool IsVoidPointer(ITypeSymbol type) =>
        type is IPointerTypeSymbol { PointedAtType.SpecialType: SpecialType.System_Void };

    private static bool IsNativeUnsignedInt(ITypeSymbol type) => type.SpecialType == SpecialType.System_UIntPtr;

    private static bool IsBoolean(ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean;
}
