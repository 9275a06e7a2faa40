namespace MemoryStrategy.Samples.Tests;

/// <summary>The size-class pool is valid only while every inner strategy is: a faulted or disposed one faults the outer.</summary>
public unsafe class SizeClassPoolValidationTests
{
    private static SizeClassPoolOptions Small(IMemoryStrategy? fallback = null) =>
        new() { SmallClassBlocks = 16, LargeClassBlocks = 16, Fallback = fallback };

    [Fact]
    public void A_pool_whose_inner_strategies_serve_is_valid_and_stays_Ready()
    {
        using var pool = new SizeClassPoolStrategy(Small());

        Assert.True(pool.Validate());
        Assert.True(StrategyValidator.ValidateStrategy(pool));
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
    }

    [Fact]
    public void A_degraded_class_pool_leaves_the_outer_valid()
    {
        using var pool = new SizeClassPoolStrategy(Small());
        int index = SizeClasses.IndexOf(64);
        var held = new List<nint>();
        for (int i = 0; i <= pool.ClassBlockCount(index); i++)
        {
            held.Add((nint)pool.Allocate(64)); // the last one overflows to the fallback
        }

        Assert.Equal(StrategyStatus.Degraded, pool.ClassTracker(index).Status);
        Assert.True(pool.Validate());
        Assert.Equal(StrategyStatus.Ready, pool.GetStatus());
        held.ForEach(block => pool.Deallocate((void*)block));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(21)]
    public void A_faulted_class_pool_makes_the_outer_invalid_and_faults_it(int index)
    {
        using var pool = new SizeClassPoolStrategy(Small());
        void* block = pool.Allocate(SizeClasses.BlockSize(index));
        Assert.True(pool.Validate());

        Assert.True(pool.ClassTracker(index).TryFault());

        Assert.False(pool.Validate());
        Assert.Equal(StrategyStatus.Faulted, pool.GetStatus());
        Assert.True(pool.Allocate(16) is null);
        Assert.Equal(1, pool.StatusTracker.GetStatistics().RefusedAllocations);

        // A faulted strategy still takes its blocks back.
        pool.Deallocate(block);
        Assert.Equal(1, pool.StatusTracker.GetStatistics().Deallocations);
        Assert.Equal(0, pool.StatusTracker.GetStatistics().RefusedDeallocations);
    }

    [Fact]
    public void A_faulted_fallback_makes_the_outer_invalid()
    {
        var fallback = new NativePassThroughStrategy();
        using var pool = new SizeClassPoolStrategy(Small(fallback));

        Assert.True(fallback.StatusTracker.TryFault());

        Assert.False(pool.Validate());
        Assert.False(StrategyValidator.ValidateStrategy(pool));
        Assert.Equal(StrategyStatus.Faulted, pool.GetStatus());
    }

    [Fact]
    public void An_inner_strategy_cannot_be_disposed_under_a_serving_outer_and_is_invalid_with_it_after()
    {
        // The one way an inner strategy reaches Disposed while the outer lives is refused (AttachTo), so the outer's
        // check never sees a disposed inner under a live outer; after the outer's Dispose both are invalid.
        var pool = new SizeClassPoolStrategy(Small());
        Assert.Throws<InvalidOperationException>(() => pool.ClassTracker(3).TryDispose());
        Assert.Throws<InvalidOperationException>(() => pool.FallbackTracker.TryDispose());
        Assert.True(pool.Validate());

        pool.Dispose();
        Assert.False(pool.Validate());
        Assert.Equal(StrategyStatus.Disposed, pool.ClassTracker(3).Status);
        Assert.Equal(StrategyStatus.Disposed, pool.FallbackTracker.Status);
    }

    [Fact]
    public void The_first_validation_checks_the_inner_strategies_too()
    {
        using var pool = new SizeClassPoolStrategy(Small());
        Assert.Equal(StrategyStatus.Uninitialized, pool.GetStatus());
        Assert.True(pool.FallbackTracker.TryFault());

        Assert.False(pool.Validate());
        Assert.Equal(StrategyStatus.Faulted, pool.GetStatus());
        Assert.True(pool.Allocate(64) is null);
    }

    [Fact]
    public void The_class_pools_validity_is_their_status_because_they_have_no_check_of_their_own()
    {
        // The pool reads the class pools' status words instead of calling their Validate: right only while the
        // reference pool declares no [Validate]. If it gains one, InnerStrategiesValid must call it.
        Assert.True(HasCheck(typeof(BumpArenaStrategy)), "the marker is visible by reflection (the arena has one)");
        Assert.False(HasCheck(typeof(MemoryPoolStrategy)), "MemoryPoolStrategy has a [Validate]: SizeClassPoolStrategy.InnerStrategiesValid must call it");
    }

    private static bool HasCheck(Type strategy) =>
        strategy.GetMethods(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)
            .Any(method => method.IsDefined(typeof(ValidateAttribute), inherit: false));
}
