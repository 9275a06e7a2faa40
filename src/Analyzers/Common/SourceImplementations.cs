using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Class hierarchy analysis over one compilation (as RacerD reasons about a call it cannot resolve): the bodies a call
/// of a dispatched member declared here (an interface member, an abstract or virtual method) may run, each
/// implementation or override in a class or struct of this compilation. Members of interfaces declared elsewhere
/// (<c>IDisposable</c>, the strategy contract) have none. One instance per compilation; each method's answer is
/// computed once. The thread-safety rules follow helpers through it, and the composition rules a core's helpers.
/// </summary>
internal sealed class SourceImplementations
{
    private readonly IAssemblySymbol _assembly;
    private readonly System.Lazy<ImmutableArray<INamedTypeSymbol>> _sourceTypes;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);

    public SourceImplementations(Compilation compilation)
    {
        _assembly = compilation.Assembly;
        _sourceTypes = new System.Lazy<ImmutableArray<INamedTypeSymbol>>(() => SourceTypes(compilation.Assembly.GlobalNamespace));
    }

    /// <summary>
    /// The implementations and overrides a call of <paramref name="method"/> may run besides its own body; none for a
    /// method of another assembly, a static one, or one that is not dispatched.
    /// </summary>
    public ImmutableArray<IMethodSymbol> Of(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _assembly)
            || method.IsStatic
            || !(method.ContainingType.TypeKind == TypeKind.Interface || method.IsAbstract || method.IsVirtual || method.IsOverride))
        {
            return ImmutableArray<IMethodSymbol>.Empty;
        }

        return _implementations.GetOrAdd(method, FindImplementations);
    }

    private ImmutableArray<IMethodSymbol> FindImplementations(IMethodSymbol method)
    {
        var found = ImmutableArray.CreateBuilder<IMethodSymbol>();
        bool onInterface = method.ContainingType.TypeKind == TypeKind.Interface;
        foreach (INamedTypeSymbol type in _sourceTypes.Value)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                continue;
            }

            if (onInterface)
            {
                foreach (INamedTypeSymbol implemented in type.AllInterfaces)
                {
                    if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, method.ContainingType))
                    {
                        continue;
                    }

                    foreach (ISymbol member in implemented.GetMembers(method.Name))
                    {
                        if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, method)
                            && type.FindImplementationForInterfaceMember(member) is IMethodSymbol { IsAbstract: false } implementation
                            && SymbolEqualityComparer.Default.Equals(implementation.ContainingAssembly, _assembly))
                        {
                            Add(implementation.OriginalDefinition);
                        }
                    }
                }

                continue;
            }

            foreach (ISymbol member in type.GetMembers(method.Name))
            {
                for (IMethodSymbol? overriding = member as IMethodSymbol; overriding is { IsOverride: true }; overriding = overriding.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(overriding.OverriddenMethod?.OriginalDefinition, method))
                    {
                        if (member is IMethodSymbol { IsAbstract: false } body)
                        {
                            Add(body.OriginalDefinition);
                        }

                        break;
                    }
                }
            }
        }

        return found.ToImmutable();

        void Add(IMethodSymbol implementation)
        {
            if (!SymbolEqualityComparer.Default.Equals(implementation, method) && !System.Linq.Enumerable.Contains(found, implementation, SymbolEqualityComparer.Default))
            {
                found.Add(implementation);
            }
        }
    }

    /// <summary>Every type declared in source in <paramref name="root"/> and its namespaces, nested types included.</summary>
    private static ImmutableArray<INamedTypeSymbol> SourceTypes(INamespaceSymbol root)
    {
        var types = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var pending = new System.Collections.Generic.Stack<INamespaceOrTypeSymbol>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            foreach (ISymbol member in pending.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol type && !type.DeclaringSyntaxReferences.IsEmpty)
                {
                    types.Add(type);
                    pending.Push(type);
                }
            }
        }

        return types.ToImmutable();
    }
}
