using System.Linq;
using Microsoft.CodeAnalysis;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The contract's symbols the validation rules look for, resolved once per compilation: the shared
/// <see cref="KnownSymbols"/> plus the <see cref="IMemoryStrategy"/> members a caller invokes.
/// </summary>
internal sealed class StrategySymbols
{
    private StrategySymbols(Compilation compilation, KnownSymbols known, INamedTypeSymbol strategyInterface, INamedTypeSymbol validator)
    {
        Known = known;
        FieldWrites = new CalleeFieldWrites(compilation);
        StrategyInterface = strategyInterface;
        StrategyValidator = validator;
        Allocate = Member(strategyInterface, "Allocate");
        Deallocate = Member(strategyInterface, "Deallocate");
        Validate = Member(strategyInterface, "Validate");
        Owns = Member(strategyInterface, "Owns");
    }

    public KnownSymbols Known { get; }

    /// <summary>What a call may assign among the private fields the dataflow rules follow (read once per compilation).</summary>
    public CalleeFieldWrites FieldWrites { get; }

    public INamedTypeSymbol StrategyInterface { get; }

    public INamedTypeSymbol StrategyValidator { get; }

    public IMethodSymbol? Allocate { get; }

    public IMethodSymbol? Deallocate { get; }

    public IMethodSymbol? Validate { get; }

    public IMethodSymbol? Owns { get; }

    /// <summary>The symbols, or null when the compilation does not reference MemoryStrategy.Abstractions.</summary>
    public static StrategySymbols? TryCreate(Compilation compilation)
    {
        var known = new KnownSymbols(compilation);
        return known.IMemoryStrategy is { } strategyInterface && known.StrategyValidator is { } validator
            ? new StrategySymbols(compilation, known, strategyInterface, validator)
            : null;
    }

    /// <summary>
    /// Whether <paramref name="method"/> is <paramref name="interfaceMember"/> or its implementation on a strategy
    /// (the generated <c>Allocate</c> of a concrete class counts as <see cref="IMemoryStrategy.Allocate"/>).
    /// </summary>
    public static bool Is(IMethodSymbol method, IMethodSymbol? interfaceMember)
    {
        if (interfaceMember is null || method.Name != interfaceMember.Name)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, interfaceMember))
        {
            return true;
        }

        return method.ContainingType is { } type
            && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceMember), method);
    }

    /// <summary>Whether <paramref name="type"/> is <see cref="IMemoryStrategy"/> or implements it.</summary>
    public bool IsStrategyType(ITypeSymbol? type) =>
        type is not null
        && (SymbolEqualityComparer.Default.Equals(type, StrategyInterface)
            || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, StrategyInterface)));

    private static IMethodSymbol? Member(INamedTypeSymbol type, string name) =>
        type.GetMembers(name).OfType<IMethodSymbol>().FirstOrDefault();
}
