using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// A strategy's explicit implementations of the interface members the generator implements
/// (<c>void* IMemoryStrategy.Allocate(nuint)</c>, <c>void IDisposable.Dispose()</c>). C# binds an interface call to an
/// explicit implementation before a public member of the same name, so such a declaration would compile and silently
/// take every call made through the interface away from the generated, checked member (MEM1006).
/// </summary>
internal static class ExplicitImplementations
{
    /// <summary>
    /// <c>IMemoryStrategy.Allocate</c>, say, when <paramref name="member"/> explicitly implements a member of
    /// <c>IMemoryStrategy</c> or of an interface it extends; null otherwise.
    /// </summary>
    public static string? FindGeneratedOne(ISymbol member, KnownSymbols known)
    {
        if (known.IMemoryStrategy is not INamedTypeSymbol strategyInterface)
        {
            return null;
        }

        foreach (ISymbol implemented in Implemented(member))
        {
            INamedTypeSymbol owner = implemented.ContainingType;
            if (SymbolEqualityComparer.Default.Equals(owner, strategyInterface)
                || strategyInterface.AllInterfaces.Contains(owner, SymbolEqualityComparer.Default))
            {
                return owner.Name + "." + implemented.Name;
            }
        }

        return null;
    }

    private static IEnumerable<ISymbol> Implemented(ISymbol member) => member switch
    {
        // An explicit property's accessors implement the interface's accessors: the property alone is reported.
        IMethodSymbol { MethodKind: MethodKind.ExplicitInterfaceImplementation } method => method.ExplicitInterfaceImplementations.Cast<ISymbol>(),
        IPropertySymbol property => property.ExplicitInterfaceImplementations.Cast<ISymbol>(),
        IEventSymbol @event => @event.ExplicitInterfaceImplementations.Cast<ISymbol>(),
        _ => Enumerable.Empty<ISymbol>(),
    };
}
