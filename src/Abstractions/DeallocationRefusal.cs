namespace MemoryStrategy;

/// <summary>Why a deallocation was refused (reported to <see cref="StatusTracker.RecordRefusedDeallocation"/>).</summary>
public enum DeallocationRefusal
{
    /// <summary>The pointer was null.</summary>
    NullPointer = 0,

    /// <summary>
    /// The pointer is not a live allocation of the strategy: foreign, interior, misaligned, or already freed
    /// (a double free). Address-based checks cannot tell these apart.
    /// </summary>
    NotOwned = 1,

    /// <summary>The strategy was disposed.</summary>
    StrategyDisposed = 2,
}
