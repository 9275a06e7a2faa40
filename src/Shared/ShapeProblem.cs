using Microsoft.CodeAnalysis;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// One reason a strategy cannot be generated, with the symbol to report it on. Lives only inside an analyzer
/// action or a generator transform; never stored in a pipeline model.
/// </summary>
internal sealed class ShapeProblem
{
    public ShapeProblem(ShapeProblemKind kind, ISymbol symbol, string detail, MarkerKind? marker = null)
    {
        Kind = kind;
        Symbol = symbol;
        Detail = detail;
        Marker = marker;
    }

    public ShapeProblemKind Kind { get; }

    /// <summary>The symbol whose declaration the diagnostic points at.</summary>
    public ISymbol Symbol { get; }

    /// <summary>Kind-specific text for the message: the type's name, the missing marker, the member's name.</summary>
    public string Detail { get; }

    /// <summary>The marker involved, for MEM1002-MEM1004.</summary>
    public MarkerKind? Marker { get; }
}
