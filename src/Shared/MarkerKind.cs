namespace MemoryStrategy.SourceGeneration;

/// <summary>The method markers a strategy may carry.</summary>
internal enum MarkerKind
{
    Allocate,
    Deallocate,
    Owns,
    Validate,
    Cleanup,
}
