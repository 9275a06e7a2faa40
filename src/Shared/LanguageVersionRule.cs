using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The C# version the generated half needs: C# 9 (<c>nuint</c>, function pointers, <c>is not</c> patterns, static
/// anonymous functions). A project that pins an older <c>LangVersion</c> would get compiler errors inside generated
/// code it cannot edit, so the strategy is reported (MEM1005) and not generated.
/// </summary>
internal static class LanguageVersionRule
{
    public const LanguageVersion Required = LanguageVersion.CSharp9;

    /// <summary>"compiled as C# 8.0, ..." for a strategy whose declaration is parsed as a version below C# 9; null otherwise.</summary>
    public static string? DescribeTooOld(INamedTypeSymbol type)
    {
        LanguageVersion? version = type.DeclaringSyntaxReferences
            .Select(reference => (reference.SyntaxTree.Options as CSharpParseOptions)?.LanguageVersion)
            .FirstOrDefault(candidate => candidate is not null);
        return version is { } used && used < Required
            ? $"compiled as C# {used.ToDisplayString()} (set <LangVersion> to 9.0 or later, or remove it: the SDK's default for net10.0 is newer)"
            : null;
    }
}
