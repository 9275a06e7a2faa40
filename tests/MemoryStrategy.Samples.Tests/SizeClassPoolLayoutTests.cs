namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// The reservation of the size-class pool: each class's slab on its own 1 MiB granules, a granule-to-class map for the
/// owner on free, and no more address space than the slabs need.
/// </summary>
public unsafe class SizeClassPoolLayoutTests
{
    private const nuint MiB = 1 << 20;

    [Fact]
    public void The_defaults_reserve_the_slabs_rounded_to_1_MiB_each_110_MiB_in_all()
    {
        using var pool = new SizeClassPoolStrategy();

        nuint expected = 0;
        for (int i = 0; i < SizeClasses.Count; i++)
        {
            nuint slab = SizeClasses.BlockSize(i) * (nuint)pool.ClassBlockCount(i);
            expected += (slab + MiB - 1) / MiB * MiB;
        }

        Assert.Equal(expected, pool.ReservedBytes);
        Assert.Equal(110 * MiB, pool.ReservedBytes);
        Assert.Equal((int)(pool.ReservedBytes / MiB), pool.ClassOwners.Length);
    }

    [Fact]
    public void Every_class_slab_starts_on_its_own_granule_and_the_map_names_its_class()
    {
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 300, LargeClassBlocks = 40 });
        int previous = -1;
        for (int i = 0; i < SizeClasses.Count; i++)
        {
            // The first block of each class lies at the start of a granule the map gives to that class.
            byte* block = (byte*)pool.Allocate(SizeClasses.BlockSize(i));
            nuint offset = (nuint)block - pool.ReservationStart;
            Assert.Equal((nuint)0, offset % MiB);
            Assert.Equal(i, pool.ClassOwners[(int)(offset / MiB)]);
            Assert.True((int)(offset / MiB) > previous, "slabs are laid out in class order");
            previous = (int)(offset / MiB);
            Assert.True(pool.Owns(block));
        }

        // 4,096 B * 300 blocks: 2 granules; 32 KiB * 40 blocks: 2 granules.
        Assert.Equal(2, pool.ClassOwners.Count(owner => owner == SizeClasses.IndexOf(4096)));
        Assert.Equal(2, pool.ClassOwners.Count(owner => owner == SizeClasses.IndexOf(32 * 1024)));
    }

    [Fact]
    public void A_pointer_in_the_rounding_after_a_slab_is_refused_by_its_class_and_counted()
    {
        // 16 B * 64 blocks = 1 KiB of slab in a 1 MiB granule: the rest of the granule is nobody's block.
        using var pool = new SizeClassPoolStrategy(new SizeClassPoolOptions { SmallClassBlocks = 64, LargeClassBlocks = 64 });
        byte* first = (byte*)pool.Allocate(16);
        byte* gap = first + (64 * 16);
        byte* lastOfGranule = first + MiB - 16;

        Assert.False(pool.Owns(gap));
        pool.Deallocate(gap);
        pool.Deallocate(lastOfGranule);

        Assert.Equal(2, pool.StatusTracker.GetStatistics().RefusedDeallocations);
        Assert.Equal(2, pool.ClassTracker(0).GetStatistics().RefusedDeallocations);
        Assert.Equal(0, pool.FallbackTracker.GetStatistics().RefusedDeallocations);

        // Just past the reservation belongs to the fallback, which refuses it too.
        pool.Deallocate((byte*)pool.ReservationStart + pool.ReservedBytes);
        Assert.Equal(1, pool.FallbackTracker.GetStatistics().RefusedDeallocations);
        pool.Deallocate(first);
        Assert.Equal(1, pool.StatusTracker.GetStatistics().Deallocations);
    }
}
