namespace MemoryStrategy.Runtime.Tests.Native;

/// <summary>
/// <see cref="NativeBlockCache"/>: the C fast paths are compiled for one layout of the cache's fields (the count, the
/// capacity, the busy flag and the steal lock at fixed distances after the stack pointer), so a description of any
/// other layout is refused where it is made, not served wrongly in C.
/// </summary>
public sealed class NativeBlockCacheTests
{
    [Fact]
    public void A_cache_laid_out_as_the_C_fast_paths_expect_is_described()
    {
        const int items = 192;
        var cache = new NativeBlockCache(
            typeof(StrategyThread), 64, 64, strict: false, freeState: 0, items, items + NativeBlockCache.CountDistance,
            items + NativeBlockCache.CapacityDistance, items + NativeBlockCache.BusyDistance, items + NativeBlockCache.StealLockDistance);

        Assert.Equal(items, cache.ItemsOffset);
        Assert.Equal(items + 8, cache.CountOffset);
        Assert.Equal(items + 12, cache.CapacityOffset);
        Assert.Equal(items + 16, cache.BusyOffset);
        Assert.Equal(items + 20, cache.StealLockOffset);
    }

    [Theory]
    [InlineData(12, 8, 16, 20)] // count and capacity swapped
    [InlineData(8, 12, 20, 16)] // busy flag and steal lock swapped
    [InlineData(8, 12, 16, 24)] // the lock one int further
    [InlineData(16, 20, 24, 28)] // all four shifted
    public void A_cache_laid_out_otherwise_is_refused(int count, int capacity, int busy, int stealLock)
    {
        const int items = 192;
        ArgumentException refused = Assert.Throws<ArgumentException>(() => new NativeBlockCache(
            typeof(StrategyThread), 64, 64, strict: false, freeState: 0, items, items + count, items + capacity,
            items + busy, items + stealLock));

        Assert.Contains("must follow the stack pointer", refused.Message, StringComparison.Ordinal);
    }
}
