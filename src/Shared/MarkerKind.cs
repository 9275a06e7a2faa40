namespace MemoryStrategy.SourceGeneration;

/// <summary>The method markers a strategy may carry.</summary>
internal enum MarkerKind
{
    Allocate,
    Deallocate,
    Owns,
    Validate,
    Cleanup,

    /// <summary>The slow half of the allocation core (<c>[AllocateSlow]</c>), called when <see cref="Allocate"/> declines.</summary>
    AllocateSlow,

    /// <summary>The slow half of the deallocation core (<c>[DeallocateSlow]</c>), called when <see cref="Deallocate"/> declines.</summary>
    DeallocateSlow,
}
