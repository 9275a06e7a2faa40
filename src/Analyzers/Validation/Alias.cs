using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Two variables (locals, parameters, fields of the class) that hold the same object or pointer on this path, since one
/// was assigned from the other (<c>var b = a;</c>, <c>byte* q = p;</c>): a fact learned through one holds for the other
/// (validated, freed, tested), and assigning a member through one (<c>b.Pool = other;</c>) forgets what was known of
/// that member through the other. A fact like any other: it merges by the rule's own merge, and assigning either
/// variable ends it.
/// </summary>
internal sealed class Alias
{
    public Alias(ISymbol first, ISymbol second)
    {
        First = first;
        Second = second;
    }

    public ISymbol First { get; }

    public ISymbol Second { get; }

    /// <summary>Whether <paramref name="symbol"/> is one of the two.</summary>
    public bool Has(ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(First, symbol) || SymbolEqualityComparer.Default.Equals(Second, symbol);

    /// <summary>The other of the two when <paramref name="symbol"/> is one of them; null otherwise.</summary>
    public ISymbol? Other(ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(First, symbol) ? Second
        : SymbolEqualityComparer.Default.Equals(Second, symbol) ? First
        : null;

    /// <summary>The same two variables, in either order.</summary>
    public override bool Equals(object? obj) =>
        obj is Alias other && other.Has(First) && other.Has(Second);

    public override int GetHashCode() =>
        SymbolEqualityComparer.Default.GetHashCode(First) ^ SymbolEqualityComparer.Default.GetHashCode(Second);
}
