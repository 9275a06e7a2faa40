using System.Collections.Generic;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The name a constructor parameter takes in the C declaration of <c>prefix_create</c>, which users copy into their
/// headers. C# allows names C does not: its keywords escaped (<c>@int</c>, <c>@double</c>), C-only keywords
/// (<c>signed</c>, <c>restrict</c>), the headers' macros (<c>NULL</c>, <c>bool</c>) and letters outside ASCII. Each was
/// copied as it is, and the declaration did not compile as C. A prototype's parameter names do not reach the ABI, so
/// such a name is changed there only: a trailing underscore, or <c>argN</c> when it is not an ASCII identifier.
/// </summary>
internal static class CParameterNames
{
    /// <summary>C23's keywords, and the macros of the headers the declaration needs (stdbool.h, stddef.h, stdint.h).</summary>
    private static readonly HashSet<string> Reserved =
    [
        "alignas", "alignof", "auto", "bool", "break", "case", "char", "const", "constexpr", "continue", "default", "do",
        "double", "else", "enum", "extern", "false", "float", "for", "goto", "if", "inline", "int", "long", "nullptr",
        "register", "restrict", "return", "short", "signed", "sizeof", "static", "static_assert", "struct", "switch",
        "thread_local", "true", "typedef", "typeof", "typeof_unqual", "union", "unsigned", "void", "volatile", "while",
        "_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex", "_Decimal128", "_Decimal32", "_Decimal64",
        "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "NULL", "offsetof",
    ];

    /// <summary>The C name of parameter <paramref name="index"/>, whose C# name is <paramref name="name"/> (maybe <c>@</c>-escaped).</summary>
    public static string For(string name, int index)
    {
        string plain = name.TrimStart('@');
        if (!NativeExportRules.IsCIdentifier(plain))
        {
            return "arg" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Reserved.Contains(plain) ? plain + "_" : plain;
    }
}
