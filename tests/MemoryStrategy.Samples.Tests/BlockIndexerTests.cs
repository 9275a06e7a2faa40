namespace MemoryStrategy.Samples.Tests;

public unsafe class BlockIndexerTests
{
    // The indexer only does arithmetic on addresses, so a made-up slab address is enough.
    private static readonly byte* Slab = (byte*)0x7f00_0000_1000;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(24)]
    [InlineData(48)]
    [InlineData(64)]
    [InlineData(80)]
    [InlineData(96)]
    [InlineData(4096)]
    [InlineData(4160)]
    public void Maps_exactly_the_block_starts_to_their_index(int stride)
    {
        const int count = 37;
        var indexer = new BlockIndexer(Slab, (nuint)stride, count);

        for (long offset = -3L * stride; offset < (count + 3L) * stride; offset++)
        {
            bool isBlockStart = offset >= 0 && offset % stride == 0 && offset / stride < count;

            Assert.Equal(isBlockStart, indexer.TryGetIndex(Slab + offset, out int index));
            if (isBlockStart)
            {
                Assert.Equal(offset / stride, index);
            }
        }
    }

    // Power-of-two strides take the shift-only path, the others the multiplication: both directions must agree.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(48)]
    [InlineData(64)]
    [InlineData(80)]
    [InlineData(4096)]
    [InlineData(4160)]
    public void BlockAt_is_the_inverse_of_TryGetIndex(int stride)
    {
        const int count = 37;
        var indexer = new BlockIndexer(Slab, (nuint)stride, count);

        for (int index = 0; index < count; index++)
        {
            byte* block = indexer.BlockAt(index);

            Assert.Equal((nuint)Slab + (nuint)(index * stride), (nuint)block);
            Assert.True(indexer.TryGetIndex(block, out int back));
            Assert.Equal(index, back);
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(80)]
    [InlineData(4160)]
    public void Refuses_pointers_far_from_the_slab(int stride)
    {
        var indexer = new BlockIndexer(Slab, (nuint)stride, 1000);
        void*[] far = [null, (void*)1, Slab - (nuint)stride * 1000, Slab + (nuint)stride * 1000, (void*)nuint.MaxValue, (void*)(nuint.MaxValue - (nuint)stride + 1)];

        foreach (void* ptr in far)
        {
            Assert.False(indexer.TryGetIndex(ptr, out _), $"0x{(nuint)ptr:x}");
        }
    }

    [Fact]
    public void The_default_indexer_owns_nothing()
    {
        BlockIndexer disposed = default;

        Assert.False(disposed.TryGetIndex(Slab, out _));
        Assert.False(disposed.TryGetIndex(null, out _));
    }
}
