namespace MemoryStrategy.Abstractions.Tests;

/// <summary>
/// <see cref="StatusTracker.AttachTo"/>: one owner per strategy, no cycles, no disposed party, and a refused attach
/// that changes nothing, with messages that name every strategy and role involved.
/// </summary>
[Collection(TrackerIndexCollection.Name)]
public class AttachToTests
{
    [Fact]
    public void A_second_owner_is_refused_and_the_first_attach_stays_as_it_was()
    {
        var first = new StatusTracker("first");
        var second = new StatusTracker("second");
        var inner = new StatusTracker("inner");
        inner.AttachTo(first, "64 B");

        var refused = Assert.Throws<InvalidOperationException>(() => inner.AttachTo(second, "fallback"));

        Assert.Same(first, inner.Owner);
        Assert.Equal("64 B", inner.Role);
        Assert.Contains("already held by 'first' as '64 B'", refused.Message);
        Assert.Contains("'second' cannot also hold it as 'fallback'", refused.Message);
    }

    [Fact]
    public void Cycles_of_any_length_are_refused_with_the_chain_that_closes_them()
    {
        var a = new StatusTracker("a");
        var b = new StatusTracker("b");
        var c = new StatusTracker("c");
        b.AttachTo(a, "b in a");
        c.AttachTo(b, "c in b");

        var itself = Assert.Throws<InvalidOperationException>(() => a.AttachTo(a, "self"));
        Assert.Contains("'a' is 'a' itself", itself.Message);

        var two = Assert.Throws<InvalidOperationException>(() => a.AttachTo(b, "a in b"));
        Assert.Contains("'b' is held by 'a' (as 'b in a'), which is 'a' itself", two.Message);

        var three = Assert.Throws<InvalidOperationException>(() => a.AttachTo(c, "a in c"));
        Assert.Contains("'c' is held by 'b' (as 'c in b'), which is held by 'a' (as 'b in a'), which is 'a' itself", three.Message);

        Assert.Null(a.Owner);
        Assert.Null(a.Role);
    }

    [Fact]
    public void A_disposed_strategy_cannot_be_attached_and_a_disposed_owner_cannot_take_one()
    {
        var owner = new StatusTracker("owner");
        var disposed = new StatusTracker("gone");
        Assert.True(disposed.TryDispose());

        var error = Assert.Throws<ObjectDisposedException>(() => disposed.AttachTo(owner, "fallback"));
        Assert.Contains("Strategy 'gone' is disposed: 'owner' cannot hold it as 'fallback'", error.Message);

        var inner = new StatusTracker("inner");
        Assert.True(owner.TryDispose());
        var late = Assert.Throws<ObjectDisposedException>(() => inner.AttachTo(owner, "64 B"));
        Assert.Contains("Strategy 'owner' is disposed", late.Message);
        Assert.Null(inner.Owner);
        Assert.Null(inner.Role);
        Assert.True(inner.TryDispose()); // not held: disposing it is allowed
    }

    [Fact]
    public void Attaching_again_to_the_same_owner_as_the_same_role_does_nothing_and_as_another_role_is_refused()
    {
        var owner = new StatusTracker("owner");
        var inner = new StatusTracker("inner");
        inner.AttachTo(owner, "64 B");
        inner.AttachTo(owner, "64 B");
        Assert.Same(owner, inner.Owner);

        var other = Assert.Throws<InvalidOperationException>(() => inner.AttachTo(owner, "fallback"));
        Assert.Contains("already held by 'owner' as '64 B'", other.Message);
        Assert.Equal("64 B", inner.Role);
    }

    [Fact]
    public void A_holder_dropped_without_dispose_lets_go_of_its_inner_strategy_once_collected()
    {
        var inner = new StatusTracker("inner");
        WeakReference<StatusTracker> holder = AttachToAHolderThatIsDropped(inner);

        Assert.Contains("held by 'dropped'", RefusedDispose(inner));

        for (int i = 0; i < 10 && IsAlive(holder); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(IsAlive(holder));
        Assert.Null(inner.Owner);
        Assert.True(inner.TryDispose());
    }

    [Fact]
    public void A_faulted_strategy_whose_dropped_holder_was_collected_is_counted_by_its_next_holder()
    {
        // Counted once by the first holder, which is gone: the next holder reads its failed inner strategies to decide
        // whether it can serve, so the fault must count there too.
        StatusTracker inner = StatusTransitionTests.TrackerIn(StrategyStatus.Ready);
        WeakReference<StatusTracker> holder = AttachToAHolderThatIsDropped(inner);
        Assert.True(inner.TryFault());

        for (int i = 0; i < 10 && IsAlive(holder); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(IsAlive(holder));
        var next = new StatusTracker("next");
        inner.AttachTo(next, "fallback");

        Assert.Equal(1, next.FailedInnerStrategies);
    }

    /// <summary>Whether the target lives, asked in a frame of its own (the target, once read, would be a root of the caller's).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool IsAlive(WeakReference<StatusTracker> reference) => reference.TryGetTarget(out _);

    /// <summary>The message of <paramref name="inner"/>'s refused dispose (in a frame of its own, which keeps nothing alive).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string RefusedDispose(StatusTracker inner) => Assert.Throws<InvalidOperationException>(() => inner.TryDispose()).Message;

    /// <summary>Attaches <paramref name="inner"/> to a holder that nothing else references once this returns.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<StatusTracker> AttachToAHolderThatIsDropped(StatusTracker inner)
    {
        var holder = new StatusTracker("dropped");
        inner.AttachTo(holder, "fallback");
        Assert.Same(holder, inner.Owner);
        return new WeakReference<StatusTracker>(holder);
    }
}
