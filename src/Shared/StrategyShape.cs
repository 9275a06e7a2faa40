using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// What a <c>[MemoryStrategy]</c> class is made of: its marker methods, and every reason it cannot be generated.
/// The generator generates exactly the shapes with no problem; the analyzers report each problem. Both call
/// <see cref="Read"/>, so they agree by construction.
/// </summary>
internal sealed class StrategyShape
{
    private StrategyShape(INamedTypeSymbol type, IReadOnlyDictionary<MarkerKind, IMethodSymbol> markers, ImmutableArray<ShapeProblem> problems)
    {
        Type = type;
        Markers = markers;
        Problems = problems;
    }

    public INamedTypeSymbol Type { get; }

    /// <summary>The marker methods with a valid signature, one per kind (the first, when duplicated).</summary>
    public IReadOnlyDictionary<MarkerKind, IMethodSymbol> Markers { get; }

    public ImmutableArray<ShapeProblem> Problems { get; }

    /// <summary>Whether the generator can complete this class.</summary>
    public bool IsGeneratable => Problems.IsEmpty;

    public IMethodSymbol? GetMarker(MarkerKind kind) => Markers.TryGetValue(kind, out IMethodSymbol? method) ? method : null;

    /// <summary>Reads the shape of <paramref name="type"/>, which carries <c>[MemoryStrategy]</c>.</summary>
    public static StrategyShape Read(INamedTypeSymbol type, KnownSymbols known, CancellationToken cancellationToken)
    {
        ImmutableArray<ShapeProblem>.Builder problems = ImmutableArray.CreateBuilder<ShapeProblem>();

        // Arity, not IsGenericType: IsGenericType is also true for a class nested in a generic type, which the next
        // branch names as such.
        if (LanguageVersionRule.DescribeTooOld(type) is string tooOld)
        {
            problems.Add(new ShapeProblem(ShapeProblemKind.UnsupportedType, type, tooOld));
        }
        else if (type.TypeKind != TypeKind.Class || type.IsStatic || type.IsAbstract || type.Arity > 0 || type.IsRecord)
        {
            problems.Add(new ShapeProblem(ShapeProblemKind.UnsupportedType, type, DescribeUnsupported(type)));
        }
        else if (HasGenericContainer(type))
        {
            problems.Add(new ShapeProblem(ShapeProblemKind.UnsupportedType, type, "nested in a generic type"));
        }
        else if (IsFileLocal(type))
        {
            // The generated half lives in another file, and a file-local type cannot be extended from another file.
            problems.Add(new ShapeProblem(ShapeProblemKind.UnsupportedType, type, "file-local"));
        }
        else if (InheritedMembers.FindStrategyBase(type, known) is INamedTypeSymbol strategyBase)
        {
            // The base's generated members and tracker would be hidden, not replaced: two trackers, two vtables.
            problems.Add(new ShapeProblem(ShapeProblemKind.UnsupportedType, type, $"derived from the strategy '{strategyBase.Name}'"));
        }
        else
        {
            foreach (string clash in InheritedMembers.FindClashes(type, cancellationToken))
            {
                problems.Add(new ShapeProblem(ShapeProblemKind.ConflictingMember, type, clash));
            }
        }

        // A class named like a generated member: C# forbids a member named as its enclosing type.
        if (IsReservedName(type.Name))
        {
            problems.Add(new ShapeProblem(ShapeProblemKind.ConflictingMember, type, type.Name));
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (!IsPartial(current, cancellationToken))
            {
                problems.Add(new ShapeProblem(ShapeProblemKind.NotPartial, current, current.Name));
            }
        }

        var markers = new Dictionary<MarkerKind, IMethodSymbol>();
        var seen = new HashSet<MarkerKind>();
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is IMethodSymbol method)
            {
                foreach (AttributeData attribute in method.GetAttributes())
                {
                    if (known.GetMarker(attribute.AttributeClass) is not MarkerKind kind)
                    {
                        continue;
                    }

                    if (!seen.Add(kind))
                    {
                        problems.Add(new ShapeProblem(ShapeProblemKind.DuplicateMarker, method, MarkerSignatures.AttributeName(kind), kind));
                    }
                    else if (!MarkerSignatures.Matches(method, kind))
                    {
                        problems.Add(new ShapeProblem(
                            ShapeProblemKind.WrongSignature, method, MarkerSignatures.Describe(kind) + MarkerSignatures.DescribeMismatch(method), kind));
                    }
                    else if (MarkerSignatures.IsCallRemoved(method))
                    {
                        problems.Add(new ShapeProblem(
                            ShapeProblemKind.WrongSignature, method, MarkerSignatures.Describe(kind) + MarkerSignatures.KeptCallRequirement, kind));
                    }
                    else if (CallSiteMarks.IsObsoleteAsError(method))
                    {
                        // The generated call would be CS0619, an error in a file the user cannot edit.
                        problems.Add(new ShapeProblem(
                            ShapeProblemKind.WrongSignature, method, MarkerSignatures.Describe(kind) + MarkerSignatures.CallableRequirement, kind));
                    }
                    else
                    {
                        markers[kind] = method;
                    }
                }
            }

            if (!member.IsImplicitlyDeclared && !GeneratedCode.IsDeclaredOnlyInGeneratedCode(member, cancellationToken))
            {
                if (IsReservedName(member.Name))
                {
                    problems.Add(new ShapeProblem(ShapeProblemKind.ConflictingMember, member, member.Name));
                }
                else if (ExplicitImplementations.FindGeneratedOne(member, known) is string implemented)
                {
                    problems.Add(new ShapeProblem(ShapeProblemKind.ConflictingMember, member, implemented));
                }
            }
        }

        if (NativeExportRules.ReadPrefix(type, known) is string prefix)
        {
            if (!NativeExportRules.IsCIdentifier(prefix))
            {
                problems.Add(new ShapeProblem(ShapeProblemKind.NativeExport, type, $"'{prefix}' is not a C identifier"));
            }
            else if (CLibraryExports.Clash(prefix) is string replaced)
            {
                problems.Add(new ShapeProblem(
                    ShapeProblemKind.NativeExport,
                    type,
                    $"'{replaced}' is a function of the C library, and the export would replace it for the whole process"));
            }
            else if (NativeExportRules.FindConstructor(type) is not IMethodSymbol constructor)
            {
                problems.Add(new ShapeProblem(
                    ShapeProblemKind.NativeExport,
                    type,
                    "it needs exactly one constructor whose parameters are all integers, sizes, floating point or bool"));
            }
            else if (NativeExportRules.WhyNotCallable(type, constructor) is string why)
            {
                problems.Add(new ShapeProblem(ShapeProblemKind.NativeExport, type, why));
            }
        }

        foreach (MarkerKind required in new[] { MarkerKind.Allocate, MarkerKind.Deallocate })
        {
            if (!seen.Contains(required))
            {
                problems.Add(new ShapeProblem(ShapeProblemKind.MissingRequiredMarker, type, MarkerSignatures.AttributeName(required), required));
            }
        }

        // A split deallocation core: the fast half says whether it took the block, so it must return bool.
        if (markers.ContainsKey(MarkerKind.DeallocateSlow)
            && markers.TryGetValue(MarkerKind.Deallocate, out IMethodSymbol? fastFree)
            && !MarkerSignatures.ReportsOwnership(fastFree))
        {
            problems.Add(new ShapeProblem(
                ShapeProblemKind.WrongSignature,
                fastFree,
                "bool M(void* ptr), optionally with a second parameter StrategyThread thread (a [DeallocateSlow] core follows it: it returns whether it took the block)",
                MarkerKind.Deallocate));
        }

        return new StrategyShape(type, markers, problems.ToImmutable());
    }

    /// <summary>Whether a member name is one the generator declares (MEM1006).</summary>
    public static bool IsReservedName(string name) =>
        name.StartsWith(MarkerNames.GeneratedPrefix, System.StringComparison.Ordinal)
        || MarkerNames.GeneratedMembers.Contains(name);

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasGenericContainer(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (container.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFileLocal(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                return true;
            }
        }

        return false;
    }

    private static string DescribeUnsupported(INamedTypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Struct) return type.IsRecord ? "a record struct" : "a struct";
        if (type.IsRecord) return "a record";
        if (type.IsStatic) return "static";
        if (type.IsAbstract) return "abstract";
        if (type.Arity > 0) return "generic";
        return type.TypeKind.ToString().ToLowerInvariant();
    }
}
