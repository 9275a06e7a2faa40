using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// What <c>[MemoryStrategy(NativeExport = "prefix")]</c> requires: a C identifier as the prefix, and exactly one
/// constructor whose parameters a C caller can pass (integers, sizes, floating point, bool), so the generator can
/// export <c>prefix_create(...)</c> and <c>prefix_destroy(MemoryStrategy*)</c>.
/// </summary>
internal static class NativeExportRules
{
    /// <summary>The prefix given to <c>NativeExport</c>, or null when the argument is absent, empty or not a string.</summary>
    public static string? ReadPrefix(INamedTypeSymbol type, KnownSymbols known)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.MemoryStrategyAttribute))
            {
                continue;
            }

            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == MarkerNames.NativeExportArgument
                    && argument.Value.Kind == TypedConstantKind.Primitive
                    && argument.Value.Value is string prefix
                    && prefix.Length > 0)
                {
                    return prefix;
                }
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="name"/> is a valid C identifier: <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public static bool IsCIdentifier(string name)
    {
        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The constructor a C caller uses: the only instance constructor whose parameters are all C-expressible.
    /// Null when there is none or more than one (the analyzers report MEM1008).
    /// </summary>
    public static IMethodSymbol? FindConstructor(INamedTypeSymbol type)
    {
        IMethodSymbol? found = null;
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (!IsExpressible(constructor))
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = constructor;
        }

        return found;
    }

    /// <summary>
    /// Why the generated <c>prefix_create</c> could not call <paramref name="constructor"/> with its arguments alone,
    /// or null when it can: a C caller has no object initializer to set required members with, and a constructor
    /// obsolete as an error cannot be called at all. Either would be a compile error in the generated code.
    /// </summary>
    public static string? WhyNotCallable(INamedTypeSymbol type, IMethodSymbol constructor)
    {
        if (CallSiteMarks.IsObsoleteAsError(constructor))
        {
            return "its constructor is [Obsolete] as an error, so the generated export cannot call it";
        }

        if (!HasAttribute(constructor, "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute")
            && FindRequiredMember(type) is ISymbol required)
        {
            return $"'{required.Name}' is required and a C caller cannot set it: mark the constructor [SetsRequiredMembers] or make the member optional";
        }

        return null;
    }

    /// <summary>The C type of a parameter of C# type <paramref name="type"/>, or null when C cannot pass it.</summary>
    public static string? CType(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Byte => "uint8_t",
        SpecialType.System_SByte => "int8_t",
        SpecialType.System_Int16 => "int16_t",
        SpecialType.System_UInt16 => "uint16_t",
        SpecialType.System_Int32 => "int32_t",
        SpecialType.System_UInt32 => "uint32_t",
        SpecialType.System_Int64 => "int64_t",
        SpecialType.System_UInt64 => "uint64_t",
        SpecialType.System_IntPtr => "intptr_t",
        SpecialType.System_UIntPtr => "size_t",
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        SpecialType.System_Boolean => "bool",
        _ => null,
    };

    /// <summary>The C# keyword of a C-expressible type (<see cref="CType"/> is not null for it).</summary>
    public static string CSharpKeyword(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Byte => "byte",
        SpecialType.System_SByte => "sbyte",
        SpecialType.System_Int16 => "short",
        SpecialType.System_UInt16 => "ushort",
        SpecialType.System_Int32 => "int",
        SpecialType.System_UInt32 => "uint",
        SpecialType.System_Int64 => "long",
        SpecialType.System_UInt64 => "ulong",
        SpecialType.System_IntPtr => "nint",
        SpecialType.System_UIntPtr => "nuint",
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        _ => "bool",
    };

    /// <summary>A <c>required</c> field or property of the type or a base, which every object creation must set.</summary>
    private static ISymbol? FindRequiredMember(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                {
                    return member;
                }
            }
        }

        return null;
    }

    private static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (IsNamed(attribute, metadataName))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNamed(AttributeData attribute, string metadataName) =>
        attribute.AttributeClass?.ToDisplayString() == metadataName;

    private static bool IsExpressible(IMethodSymbol constructor)
    {
        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            // A parameter with no name yet (still being typed) cannot be passed on by a generated export either.
            if (parameter.RefKind != RefKind.None || parameter.IsParams || CType(parameter.Type) is null || parameter.Name.Length == 0)
            {
                return false;
            }
        }

        return true;
    }
}
