using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// What a strategy inherits that the generated half would collide with. The generated members are declared without
/// <c>new</c> or <c>override</c>, so a base member of the same name makes the compiler warn in generated code (CS0108,
/// CS0114: errors where warnings are), and a base that is itself a strategy would keep a second tracker and vtable.
/// </summary>
internal static class InheritedMembers
{
    /// <summary>The nearest base class that carries <c>[MemoryStrategy]</c>, or null.</summary>
    public static INamedTypeSymbol? FindStrategyBase(INamedTypeSymbol type, KnownSymbols known)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (known.IsStrategy(current))
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>Base.Dispose</c>, say, for each member a base class declares, visible to <paramref name="type"/>, under a name
    /// the generator declares. Declarations in generated code are left out, as they are for the class's own members:
    /// the generator does not see another generator's output, and the analyzers must agree with it.
    /// </summary>
    public static IEnumerable<string> FindClashes(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var reported = new HashSet<string>();
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!member.IsImplicitlyDeclared
                    && StrategyShape.IsReservedName(member.Name)
                    && IsVisibleTo(member, type)
                    && !GeneratedCode.IsDeclaredOnlyInGeneratedCode(member, cancellationToken)
                    && reported.Add(member.Name))
                {
                    yield return current.Name + "." + member.Name;
                }
            }
        }
    }

    /// <summary>Whether a derived class sees the member, so that a member of the same name would hide it.</summary>
    private static bool IsVisibleTo(ISymbol member, INamedTypeSymbol derived) => member.DeclaredAccessibility switch
    {
        Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal => true,
        Accessibility.Internal or Accessibility.ProtectedAndInternal =>
            member.ContainingAssembly.GivesAccessTo(derived.ContainingAssembly),
        _ => false,
    };
}
