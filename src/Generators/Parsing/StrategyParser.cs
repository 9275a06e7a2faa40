using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// Reads a <c>[MemoryStrategy]</c> declaration into a <see cref="StrategyModel"/>. Returns null for every class the
/// generator must skip (the analyzers say why); never throws for malformed attributes or incomplete code.
/// </summary>
internal static class StrategyParser
{
    private static readonly SymbolDisplayFormat EscapedNamespace = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    public static StrategyModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.IsEmpty
            || !CarriesFirstMarker(context, type) || HasMissingName(type))
        {
            return null;
        }

        var known = new KnownSymbols(context.SemanticModel.Compilation);
        StrategyShape shape = StrategyShape.Read(type, known, cancellationToken);
        if (!shape.IsGeneratable || shape.GetMarker(MarkerKind.Allocate) is not { } allocate
            || shape.GetMarker(MarkerKind.Deallocate) is not { } deallocate)
        {
            return null;
        }

        EquatableArray<ContainingTypeModel>? containers = ReadContainers(type);
        if (containers is null)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        ImmutableArray<KeyValuePair<string, TypedConstant>> arguments = context.Attributes[0].NamedArguments;
        var markers = new MarkerMethods(
            Escape(allocate.Name),
            Escape(deallocate.Name),
            EscapeOrNull(shape.GetMarker(MarkerKind.Owns)),
            EscapeOrNull(shape.GetMarker(MarkerKind.Validate)),
            EscapeOrNull(shape.GetMarker(MarkerKind.Cleanup)),
            MarkerSignatures.ReportsOwnership(deallocate),
            MarkerSignatures.TakesThread(allocate),
            MarkerSignatures.TakesThread(deallocate),
            ReadSlowCore(shape.GetMarker(MarkerKind.AllocateSlow)),
            ReadSlowCore(shape.GetMarker(MarkerKind.DeallocateSlow)));

        // PoisonFreedMemory faults by throwing from its check, so it keeps the handlers FaultOnCoreException = false drops.
        bool poison = ReadBoolean(arguments, MarkerNames.PoisonFreedMemoryArgument);
        return new StrategyModel(
            HintName(type),
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(EscapedNamespace) : null,
            containers.Value,
            Escape(type.Name),
            SymbolDisplay.FormatLiteral(ReadName(arguments) ?? type.Name, quote: true),
            ReadMaxAllocationSize(arguments),
            ReadBoolean(arguments, MarkerNames.TrackAllocationsArgument),
            markers,
            ReadNativeExport(type, known),
            poison,
            ReadBoolean(arguments, MarkerNames.ZeroOnAllocateArgument),
            Find(arguments, MarkerNames.FaultOnCoreExceptionArgument) is not false || poison,
            ReadUserDiagnosticIds(shape, type, known));
    }

    /// <summary>The ids of <see cref="CallSiteMarks.UserDiagnosticIds"/> over everything the generated half calls.</summary>
    private static EquatableArray<string> ReadUserDiagnosticIds(StrategyShape shape, INamedTypeSymbol type, KnownSymbols known)
    {
        var ids = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (IMethodSymbol core in shape.Markers.Values)
        {
            ids.UnionWith(CallSiteMarks.UserDiagnosticIds(core));
        }

        if (NativeExportRules.ReadPrefix(type, known) is not null && NativeExportRules.FindConstructor(type) is IMethodSymbol constructor)
        {
            ids.UnionWith(CallSiteMarks.UserDiagnosticIds(constructor));
        }

        // CS8981 is the compiler's word on a lower-case type name, which it repeats at every declaration: the user can
        // silence it at theirs, not at the generated one, which re-declares the class and its containers.
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (IsLowerCaseAscii(current.Name))
            {
                ids.Add("CS8981");
            }
        }

        string[] sorted = new string[ids.Count];
        ids.CopyTo(sorted);
        return new EquatableArray<string>(sorted);
    }

    /// <summary>The slow half of a split core, if the strategy marks one.</summary>
    private static SlowCore? ReadSlowCore(IMethodSymbol? method) =>
        method is null
            ? null
            : new SlowCore(Escape(method.Name), MarkerSignatures.TakesThread(method), MarkerSignatures.ReportsOwnership(method));

    /// <summary>
    /// The exports of <c>NativeExport</c>. <see cref="StrategyShape"/> has already refused a prefix that is not a C
    /// identifier or a class without exactly one C-callable constructor, so both are known to be usable here.
    /// </summary>
    private static NativeExportModel? ReadNativeExport(INamedTypeSymbol type, KnownSymbols known)
    {
        if (NativeExportRules.ReadPrefix(type, known) is not string prefix
            || NativeExportRules.FindConstructor(type) is not IMethodSymbol constructor)
        {
            return null;
        }

        var parameters = new NativeParameterModel[constructor.Parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            IParameterSymbol parameter = constructor.Parameters[i];
            parameters[i] = new NativeParameterModel(
                Escape(parameter.Name),
                NativeExportRules.CSharpKeyword(parameter.Type),
                NativeExportRules.CType(parameter.Type)!);
        }

        return new NativeExportModel(prefix, new EquatableArray<NativeParameterModel>(parameters));
    }

    /// <summary>
    /// Whether the type, a containing type or a namespace around it has no name yet (the user is still typing it:
    /// <c>namespace A. { }</c>, <c>partial class { }</c>). Generating for it would add errors of its own.
    /// </summary>
    private static bool HasMissingName(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.Name.Length == 0)
            {
                return true;
            }
        }

        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (ns.Name.Length == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// When <c>[MemoryStrategy]</c> is (wrongly) repeated on several partial declarations, only the declaration that
    /// holds the first one generates, so two files never claim one class.
    /// </summary>
    private static bool CarriesFirstMarker(GeneratorAttributeSyntaxContext context, INamedTypeSymbol type)
    {
        SyntaxReference? application = KnownSymbols.FindAttribute(type, context.Attributes[0].AttributeClass)?.ApplicationSyntaxReference;
        return application is not null
            && application.SyntaxTree == context.TargetNode.SyntaxTree
            && context.TargetNode.Span.Contains(application.Span);
    }

    private static EquatableArray<ContainingTypeModel>? ReadContainers(INamedTypeSymbol type)
    {
        var containers = new List<ContainingTypeModel>();
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            string? keyword = container.TypeKind switch
            {
                TypeKind.Class => container.IsRecord ? "record" : "class",
                TypeKind.Struct => container.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => null,
            };
            if (keyword is null)
            {
                return null;
            }

            string modifiers = container.IsStatic ? "static" : container.IsRefLikeType ? "ref" : string.Empty;
            containers.Add(new ContainingTypeModel(modifiers, keyword, Escape(container.Name)));
        }

        containers.Reverse();
        return new EquatableArray<ContainingTypeModel>(containers.ToArray());
    }

    /// <summary><c>My.Ns.Outer.BumpArena.g.cs</c>: namespace, containing types and the type, unescaped.</summary>
    private static string HintName(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            parts.Add(current.Name);
        }

        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Add(ns.Name);
        }

        parts.Reverse();
        var name = new StringBuilder();
        foreach (string part in parts)
        {
            name.Append(part).Append('.');
        }

        return name.Append("g.cs").ToString();
    }

    private static string? ReadName(ImmutableArray<KeyValuePair<string, TypedConstant>> arguments) =>
        Find(arguments, MarkerNames.NameArgument) is string name && !string.IsNullOrWhiteSpace(name) ? name : null;

    /// <summary>The limit the wrappers enforce: the attribute's value when positive, else the framework's default.</summary>
    private static long ReadMaxAllocationSize(ImmutableArray<KeyValuePair<string, TypedConstant>> arguments)
    {
        long value = Find(arguments, MarkerNames.MaxAllocationSizeArgument) switch
        {
            long l => l,
            int i => i,
            _ => 0,
        };
        return value > 0 ? value : MarkerNames.DefaultMaxAllocationSize;
    }

    private static bool ReadBoolean(ImmutableArray<KeyValuePair<string, TypedConstant>> arguments, string name) =>
        Find(arguments, name) is true;

    /// <summary>A named argument's constant, or null when it is absent, an array or of a kind that did not bind.</summary>
    private static object? Find(ImmutableArray<KeyValuePair<string, TypedConstant>> arguments, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in arguments)
        {
            // TypedConstant.Value throws for arrays; an argument of the wrong type binds as an error with no value.
            if (argument.Key == name && argument.Value.Kind is not (TypedConstantKind.Array or TypedConstantKind.Error))
            {
                return argument.Value.Value;
            }
        }

        return null;
    }

    /// <summary>The names CS8981 reports: ASCII letters, all lower case (<c>pool</c>, <c>@class</c>).</summary>
    private static bool IsLowerCaseAscii(string name)
    {
        foreach (char c in name)
        {
            if (c < 'a' || c > 'z')
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    private static string? EscapeOrNull(IMethodSymbol? method) => method is null ? null : Escape(method.Name);

    private static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;
}
