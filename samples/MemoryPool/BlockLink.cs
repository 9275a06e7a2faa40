namespace MemoryStrategy.Samples;

/// <summary>
/// The free-list links of one block, kept beside the slab rather than inside the block: a write after free in
/// user code can corrupt the user's data, never the pool's lists.
/// </summary>
internal struct BlockLink
{
    /// <summary>The next block of the same batch, or -1 at the batch's end. Written only by the batch's owner.</summary>
    public int Next;

    /// <summary>On a batch's first block while the batch sits in the shared stack: the first block of the batch below it, or -1.</summary>
    public int NextBatch;
}
