using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>The one definition of each marker method's required signature.</summary>
internal static class MarkerSignatures
{
    /// <summary>The signature a marker requires, as users read it in a diagnostic.</summary>
    public static string Describe(MarkerKind kind) => kind switch
    {
        MarkerKind.Allocate => "void* M(nuint size), optionally with a second parameter StrategyThread thread",
        MarkerKind.Deallocate => "void M(void* ptr) or bool M(void* ptr), optionally with a second parameter StrategyThread thread",
        MarkerKind.Owns => "bool M(void* ptr)",
        MarkerKind.Validate => "bool M()",
        MarkerKind.Cleanup => "void M()",
        MarkerKind.AllocateSlow => Describe(MarkerKind.Allocate),
        MarkerKind.DeallocateSlow => Describe(MarkerKind.Deallocate),
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
            MarkerKind.Allocate or MarkerKind.AllocateSlow => IsVoidPointer(method.ReturnType) && HasCoreParameters(method, IsNativeUnsignedInt),
            MarkerKind.Deallocate or MarkerKind.DeallocateSlow =>
                (method.ReturnsVoid || IsBoolean(method.ReturnType)) && HasCoreParameters(method, IsVoidPointer),
            MarkerKind.Owns => IsBoolean(method.ReturnType) && HasSingleParameter(method, IsVoidPointer),
            MarkerKind.Validate => IsBoolean(method.ReturnType) && method.Parameters.Length == 0,
            MarkerKind.Cleanup => method.ReturnsVoid && method.Parameters.Length == 0,
            _ => false,
        };
    }

    /// <summary>
    /// What is wrong with <paramref name="method"/> besides its types, appended to the signature in the diagnostic
    /// (empty when nothing is): the signature alone reads as satisfied by an explicit interface implementation or an
    /// accessor with the right types, and does not say that a parameter is taken by value.
    /// </summary>
    public static string DescribeMismatch(IMethodSymbol method)
    {
        if (method.MethodKind == MethodKind.ExplicitInterfaceImplementation)
        {
            return ", declared as a method of the class itself, not as an explicit interface implementation";
        }

        if (method.MethodKind != MethodKind.Ordinary)
        {
            return ", declared as an ordinary method, not as an accessor or an operator";
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (!IsPlain(parameter))
            {
                return ", with every parameter taken by value (no in, ref, out or params)";
            }
        }

        return method.ReturnsByRef || method.ReturnsByRefReadonly ? ", returning by value, not by ref" : string.Empty;
    }

    /// <summary>What <see cref="IsCallRemoved"/> refuses, appended to the signature in the diagnostic.</summary>
    public const string KeptCallRequirement = ", with a body every build calls: not [Conditional], not a partial method without an implementation";

    /// <summary>What <see cref="CallSiteMarks.IsObsoleteAsError"/> refuses, appended to the signature in the diagnostic.</summary>
    public const string CallableRequirement = ", callable by the generated half: not [Obsolete] as an error";

    /// <summary>
    /// Whether the compiler drops calls to <paramref name="method"/>: a <c>partial void</c> method with no
    /// implementation, or a <c>[Conditional]</c> one in a build without its symbol. The generated call would compile
    /// and do nothing: a deallocation that frees nothing, a cleanup that never runs.
    /// </summary>
    public static bool IsCallRemoved(IMethodSymbol method)
    {
        if (method.IsPartialDefinition && method.PartialImplementationPart is null)
        {
            return true;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == "System.Diagnostics.ConditionalAttribute")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a <c>[Deallocate]</c> method returns <see langword="bool"/>: it then refuses pointers it does not own
    /// itself (returning false), and the generated code need not ask <c>[Owns]</c> before it.
    /// </summary>
    public static bool ReportsOwnership(IMethodSymbol deallocate) => IsBoolean(deallocate.ReturnType);

    /// <summary>
    /// Whether an <c>[Allocate]</c> or <c>[Deallocate]</c> core takes the calling thread's <c>StrategyThread</c> as a
    /// second parameter: the generated wrapper then passes the object it looked up for the statistics, so the core
    /// finds its per-thread state without a thread-local lookup of its own.
    /// </summary>
    public static bool TakesThread(IMethodSymbol core) => core.Parameters.Length == 2;

    /// <summary>The core's own parameter, then optionally a <c>StrategyThread</c> taken by value.</summary>
    private static bool HasCoreParameters(IMethodSymbol method, System.Func<ITypeSymbol, bool> isExpected) =>
        HasSingleParameter(method, isExpected)
        || (method.Parameters.Length == 2
            && IsPlain(method.Parameters[0]) && isExpected(method.Parameters[0].Type)
            && IsPlain(method.Parameters[1]) && IsStrategyThread(method.Parameters[1].Type));

    private static bool IsPlain(IParameterSymbol parameter) => parameter.RefKind == RefKind.None && !parameter.IsParams;

    private static bool IsStrategyThread(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "StrategyThread", Arity: 0, ContainingType: null } named
        && named.ContainingNamespace is { Name: MarkerNames.Namespace, ContainingNamespace.IsGlobalNamespace: true };

    private static bool HasSingleParameter(IMethodSymbol method, System.Func<ITypeSymbol, bool> isExpected) =>
        method.Parameters.Length == 1 && IsPlain(method.Parameters[0]) && isExpected(method.Parameters[0].Type);

    private static bool IsVoidPointer(ITypeSymbol type) =>
        type is IPointerTypeSymbol { PointedAtType.SpecialType: SpecialType.System_Void };

    private static bool IsNativeUnsignedInt(ITypeSymbol type) => type.SpecialType == SpecialType.System_UIntPtr;

    private static bool IsBoolean(ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean;
}
