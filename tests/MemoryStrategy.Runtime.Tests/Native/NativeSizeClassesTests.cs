namespace MemoryStrategy.Runtime.Tests.Native;

/// <summary>
/// <see cref="NativeSizeClasses"/>: C reads each class's status word before it serves an allocation of that class, so
/// the description needs one tracker per class, and refuses a list that does not give them.
/// </summary>
public sealed unsafe class NativeSizeClassesTests
{
    private const int Items = 192;

    private static (NativeBlockOwnership, NativeBlockCache) Class() =>
        (new NativeBlockOwnership((void*)0x7f00_0000_0000, 6, 1, 8, (byte*)0x7f00_1000_0000, 1),
         new NativeBlockCache(
             typeof(StrategyThread), 64, 64, strict: false, freeState: 0, Items, Items + NativeBlockCache.CountDistance,
             Items + NativeBlockCache.CapacityDistance, Items + NativeBlockCache.BusyDistance, Items + NativeBlockCache.StealLockDistance));

    private static NativeSizeClasses Describe(IReadOnlyList<StatusTracker> trackers) =>
        new(typeof(StrategyThread), [0, 0, 0, 0], [Class(), Class()], trackers, (void*)0x7f00_0000_0000, 20, [0, 1]);

    [Fact]
    public void One_tracker_per_class_is_taken()
    {
        NativeSizeClasses classes = Describe([new StatusTracker("a"), new StatusTracker("b")]);
        Assert.Equal((nuint)64, classes.Largest);
    }

    [Fact]
    public void Missing_or_null_trackers_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => Describe(null!));
        ArgumentException tooFew = Assert.Throws<ArgumentException>(() => Describe([new StatusTracker("a")]));
        Assert.Contains("One status tracker per class", tooFew.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Describe([new StatusTracker("a"), null!]));
    }
}
