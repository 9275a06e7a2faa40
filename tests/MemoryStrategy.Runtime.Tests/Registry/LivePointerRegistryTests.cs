namespace MemoryStrategy.Runtime.Tests.Registry;

/// <summary>The registry on one thread: set semantics, the addresses it refuses, growth and tombstone reuse.</summary>
public sealed class LivePointerRegistryTests
{
    internal static nint Address(long index) => (nint)(0x7F00_0000_0000L + (index * 16));

    [Fact]
    public void Add_contains_remove_behave_as_a_set()
    {
        var registry = new LivePointerRegistry();
        nint a = Address(1), b = Address(2);

        Assert.True(registry.TryAdd(a));
        Assert.False(registry.TryAdd(a));
        Assert.True(registry.Contains(a));
        Assert.False(registry.Contains(b));
        Assert.Equal(1, registry.Count);

        Assert.True(registry.TryRemove(a));
        Assert.False(registry.TryRemove(a));
        Assert.False(registry.Contains(a));
        Assert.Equal(0, registry.Count);

        Assert.True(registry.TryAdd(a));
        Assert.True(registry.Contains(a));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(4095L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void Addresses_no_allocator_returns_are_refused_and_never_found(long value)
    {
        var registry = new LivePointerRegistry();
        var address = (nint)value;

        Assert.False(registry.TryAdd(address));
        Assert.False(registry.Contains(address));
        Assert.False(registry.TryRemove(address));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void The_first_trackable_address_is_the_end_of_the_first_page()
    {
        var registry = new LivePointerRegistry();

        Assert.True(registry.TryAdd(4096));
        Assert.True(registry.Contains(4096));
    }

    [Fact]
    public void It_grows_past_its_initial_capacity_and_keeps_every_address()
    {
        const int Count = 10_000;
        var registry = new LivePointerRegistry(initialCapacity: 16);

        for (int i = 0; i < Count; i++)
        {
            Assert.True(registry.TryAdd(Address(i)));
        }

        Assert.Equal(Count, registry.Count);
        Assert.True(registry.Capacity >= 2 * Count);
        for (int i = 0; i < Count; i++)
        {
            Assert.True(registry.Contains(Address(i)));
            Assert.False(registry.TryAdd(Address(i)));
        }

        for (int i = 0; i < Count; i += 2)
        {
            Assert.True(registry.TryRemove(Address(i)));
        }

        Assert.Equal(Count / 2, registry.Count);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(i % 2 == 1, registry.Contains(Address(i)));
        }
    }

    // The table holds at most 2^30 slots: a larger first table is refused by name, not silently cut to 2^30 slots
    // (8 GiB, filled slot by slot, for a request the registry cannot honour).
    [Theory]
    [InlineData((1 << 30) + 1)]
    [InlineData(int.MaxValue)]
    public void An_initial_capacity_above_2_to_the_30_is_an_argument_error(int initialCapacity)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LivePointerRegistry(initialCapacity));
        Assert.Equal("initialCapacity", error.ParamName);
        Assert.Contains("1073741824", error.Message);
    }

    [Fact]
    public void Churn_over_a_small_live_set_does_not_grow_the_table()
    {
        var registry = new LivePointerRegistry(initialCapacity: 64);

        // 200,000 add/remove pairs over ever new addresses: only tombstones accumulate, and resizes clear them.
        for (int i = 0; i < 200_000; i++)
        {
            Assert.True(registry.TryAdd(Address(i)));
            Assert.True(registry.TryAdd(Address(i + 1_000_000)));
            Assert.True(registry.TryRemove(Address(i)));
            Assert.True(registry.TryRemove(Address(i + 1_000_000)));
        }

        Assert.Equal(0, registry.Count);
        Assert.Equal(64, registry.Capacity);
    }

    [Fact]
    public void Addresses_with_the_same_low_bits_are_told_apart()
    {
        var registry = new LivePointerRegistry();
        nint[] aligned = Enumerable.Range(1, 100).Select(i => (nint)((long)i << 32)).ToArray();

        foreach (nint address in aligned)
        {
            Assert.True(registry.TryAdd(address));
        }

        Assert.All(aligned, address => Assert.True(registry.Contains(address)));
        Assert.False(registry.Contains(unchecked((nint)(101L << 32))));
    }

    [Fact]
    public void A_negative_capacity_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LivePointerRegistry(-1));
    }

    [Fact]
    public void RemoveAll_returns_each_live_address_once_and_leaves_the_set_empty()
    {
        var registry = new LivePointerRegistry(initialCapacity: 16);
        for (long i = 0; i < 1_000; i++)
        {
            Assert.True(registry.TryAdd(Address(i)));
        }

        for (long i = 0; i < 1_000; i += 2)
        {
            Assert.True(registry.TryRemove(Address(i)));
        }

        nint[] removed = registry.RemoveAll();

        Assert.Equal(Enumerable.Range(0, 500).Select(i => Address((2 * i) + 1)).Order(), removed.Order());
        Assert.Equal(0, registry.Count);
        Assert.Empty(registry.RemoveAll());

        // The set goes on working: an address taken by RemoveAll can be added again.
        Assert.True(registry.TryAdd(Address(1)));
        Assert.Equal([Address(1)], registry.RemoveAll());
    }
}
