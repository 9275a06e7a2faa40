using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples.Tests;

/// <summary>The pool's engine on one thread: serving, exhaustion, ownership, refusals, dispose.</summary>
public unsafe class FixedBlockPoolTests
{
    [Theory]
    [InlineData(64, 100, false)]
    [InlineData(64, 100, true)]
    [InlineData(24, 1000, false)]
    [InlineData(1, 7, false)]
    public void Serves_every_block_once_then_reports_exhaustion(int blockSize, int blockCount, bool strict)
    {
        using var pool = new FixedBlockPool((nuint)blockSize, blockCount, strict: strict);

        List<nint> blocks = AllocateAll(pool);

        Assert.Equal(blockCount, blocks.Count);
        Assert.Equal(blockCount, blocks.Distinct().Count());
        AssertDisjoint(blocks, pool.BlockSize);
        Assert.True(pool.Allocate() is null);
        Assert.True(pool.CheckInvariants());
    }

    [Fact]
    public void A_freed_block_is_served_again_after_exhaustion()
    {
        using var pool = new FixedBlockPool(64, 10);
        List<nint> blocks = AllocateAll(pool);

        Assert.True(pool.Free((void*)blocks[3]));

        Assert.Equal(blocks[3], (nint)pool.Allocate());
        Assert.True(pool.Allocate() is null);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(24, 8)]
    [InlineData(64, 16)]
    [InlineData(100, 64)]
    [InlineData(33, 256)]
    [InlineData(4000, 4096)]
    public void Blocks_are_aligned_and_usable_over_their_whole_size(int blockSize, int alignment)
    {
        using var pool = new FixedBlockPool((nuint)blockSize, 50, (nuint)alignment);

        List<nint> blocks = AllocateAll(pool);
        for (int i = 0; i < blocks.Count; i++)
        {
            Stamp.Write(blocks[i], pool.BlockSize, Stamp.Of(1, i));
        }

        for (int i = 0; i < blocks.Count; i++)
        {
            Assert.Equal(0, blocks[i] % alignment);
            Assert.Null(Stamp.Check(blocks[i], pool.BlockSize, Stamp.Of(1, i)));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_second_free_of_a_block_is_refused_and_changes_nothing(bool strict)
    {
        using var pool = new FixedBlockPool(64, 8, strict: strict);
        void* block = pool.Allocate();

        Assert.True(pool.Owns(block));
        Assert.True(pool.Free(block));
        Assert.False(pool.Owns(block));
        Assert.False(pool.Free(block));

        // Had the second free been accepted, the block would sit twice in the cache and be served twice.
        Assert.Equal(8, AllocateAll(pool).Distinct().Count());
    }

    [Fact]
    public void Foreign_interior_misaligned_and_null_pointers_are_refused()
    {
        using var pool = new FixedBlockPool(64, 8);
        byte* block = (byte*)pool.Allocate();
        void* native = NativeMemory.Alloc(64);
        long onStack = 0;
        try
        {
            void*[] refused =
            [
                null, native, &onStack, block + 1, block + 32, block + 63, block - 64, block + 64 * 8, block + 64 * 100,
            ];

            foreach (void* ptr in refused)
            {
                Assert.False(pool.Owns(ptr), $"Owns 0x{(nint)ptr:x}");
                Assert.False(pool.Free(ptr), $"Free 0x{(nint)ptr:x}");
            }

            // The next block (block + 64) is in range and aligned but was never handed out: not owned.
            Assert.False(pool.Owns(block + 64));
            Assert.False(pool.Free(block + 64));
            Assert.True(pool.Owns(block));
            Assert.Equal(7, AllocateAll(pool).Count);
        }
        finally
        {
            NativeMemory.Free(native);
        }
    }

    [Fact]
    public void Batches_flushed_to_the_shared_stack_come_back_whole()
    {
        // A batch of 4 and a cache of 8: freeing 1000 blocks flushes over a hundred batches.
        using var pool = new FixedBlockPool(32, 1000, batchSize: 4);

        List<nint> first = AllocateAll(pool);
        foreach (nint block in first)
        {
            Assert.True(pool.Free((void*)block));
        }

        List<nint> second = AllocateAll(pool);

        Assert.Equal(1000, second.Count);
        Assert.Equal(first.Order(), second.Order());
        Assert.True(pool.CheckInvariants());
    }

    [Fact]
    public void Dispose_reports_leaked_blocks_and_refuses_everything_after()
    {
        var pool = new FixedBlockPool(64, 16);
        var blocks = new List<nint>();
        for (int i = 0; i < 10; i++)
        {
            blocks.Add((nint)pool.Allocate());
        }

        for (int i = 0; i < 4; i++)
        {
            pool.Free((void*)blocks[i]);
        }

        pool.Dispose();
        pool.Dispose();

        Assert.Equal(6, pool.LeakedBlocks);
        Assert.True(pool.IsDisposed);
        Assert.False(pool.CheckInvariants());
        Assert.True(pool.Allocate() is null);
        Assert.False(pool.Owns((void*)blocks[9]));
        Assert.False(pool.Free((void*)blocks[9]));
    }

    [Fact]
    public void One_thread_alternating_between_pools_keeps_their_blocks_apart()
    {
        using var a = new FixedBlockPool(64, 20);
        using var b = new FixedBlockPool(64, 20);

        for (int round = 0; round < 50; round++)
        {
            void* fromA = a.Allocate();
            void* fromB = b.Allocate();

            Assert.False(b.Free(fromA));
            Assert.False(a.Free(fromB));
            Assert.True(a.Free(fromA));
            Assert.True(b.Free(fromB));
        }

        Assert.Equal(20, AllocateAll(a).Count);
        Assert.Equal(20, AllocateAll(b).Count);
    }

    [Fact]
    public void Invalid_construction_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBlockPool(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBlockPool(64, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBlockPool(64, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBlockPool(64, 10, alignment: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBlockPool(64, 10, alignment: 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBlockPool(64, 10, batchSize: 65));
    }

    // A slab larger than the address space (a huge alignment or block size times the count) is refused by name,
    // not by an OverflowException from the stride arithmetic.
    [Fact]
    public void A_slab_beyond_the_address_space_is_an_argument_error()
    {
        var alignment = Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBlockPool(64, 16, alignment: (nuint)1 << 63));
        Assert.Contains("address space", alignment.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBlockPool(nuint.MaxValue, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryPoolStrategy(64, 16, (nuint)1 << 63));
    }

    [Fact]
    public void SlabBytes_checks_its_arguments()
    {
        Assert.Equal((nuint)(64 * 10), FixedBlockPool.SlabBytes(64, 10, 16));
        Assert.Equal("blockCount", Assert.Throws<ArgumentOutOfRangeException>(() => MemoryPoolStrategy.SlabBytes(16, -2, 16)).ParamName);
        Assert.Equal("alignment", Assert.Throws<ArgumentOutOfRangeException>(() => MemoryPoolStrategy.SlabBytes(16, 2, 0)).ParamName);
        Assert.Equal("alignment", Assert.Throws<ArgumentOutOfRangeException>(() => MemoryPoolStrategy.SlabBytes(16, 2, 24)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryPoolStrategy.SlabBytes(nuint.MaxValue, 2, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryPoolStrategy.SlabBytes(64, 16, (nuint)1 << 63));
    }

    /// <summary>Allocates until the pool refuses.</summary>
    internal static List<nint> AllocateAll(FixedBlockPool pool)
    {
        var blocks = new List<nint>();
        for (void* block = pool.Allocate(); block is not null; block = pool.Allocate())
        {
            blocks.Add((nint)block);
            Assert.True(blocks.Count <= pool.BlockCount, "the pool served more blocks than it holds");
        }

        return blocks;
    }

    private static void AssertDisjoint(List<nint> blocks, nuint size)
    {
        List<nint> sorted = blocks.Order().ToList();
        for (int i = 1; i < sorted.Count; i++)
        {
            Assert.True(sorted[i] - sorted[i - 1] >= (nint)size, "two blocks overlap");
        }
    }
}
