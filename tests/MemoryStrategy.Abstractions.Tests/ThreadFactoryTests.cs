namespace MemoryStrategy.Abstractions.Tests;

/// <summary>
/// <see cref="StatusTracker.SetThreadFactory"/>: a strategy's own <see cref="StrategyThread"/> type, made once per
/// thread, kept (with its fields) by a thread that takes over an exited thread's object, and refused when set too late,
/// twice, or when the factory hands out an object twice.
/// </summary>
public sealed class ThreadFactoryTests
{
    private sealed class CountingThread : StrategyThread
    {
        public int Calls;
    }

    /// <summary>Holds a field that belongs to its owner alone, which the take-over hook clears.</summary>
    private sealed class HookedThread : StrategyThread
    {
        public string? Owned;
        public int Hooks;
        public int HookedOn;
        public bool FailNextHook;

        protected override void OnTakenOver()
        {
            Hooks++;
            HookedOn = Environment.CurrentManagedThreadId;
            if (FailNextHook)
            {
                FailNextHook = false;
                throw new InvalidOperationException("hook");
            }

            Owned = null;
        }
    }

    [Fact]
    public void A_take_over_runs_the_hook_on_the_new_owners_thread_before_the_object_reaches_it()
    {
        var tracker = new StatusTracker("hooked");
        tracker.SetThreadFactory(() => new HookedThread());
        HookedThread? first = null;
        int hooksWhenMade = -1;
        RunOnThread(() =>
        {
            first = (HookedThread)tracker.CurrentThread;
            hooksWhenMade = first.Hooks;
            first.Owned = "exited";
        });

        HookedThread? taken = null;
        string? seen = "unset";
        int newcomerId = 0;
        RunOnThread(() =>
        {
            newcomerId = Environment.CurrentManagedThreadId;
            taken = (HookedThread)tracker.CurrentThread;
            seen = taken.Owned;
        });

        Assert.Same(first, taken);
        Assert.Null(seen);
        Assert.Equal(1, taken!.Hooks);
        Assert.Equal(newcomerId, taken.HookedOn);
        Assert.Equal(0, hooksWhenMade);
    }

    [Fact]
    public void A_hook_that_throws_fails_that_lookup_and_leaves_the_object_to_the_next_take_over()
    {
        var tracker = new StatusTracker("hook throws");
        tracker.SetThreadFactory(() => new HookedThread());
        HookedThread? first = null;
        RunOnThread(() =>
        {
            first = (HookedThread)tracker.CurrentThread;
            first.Owned = "exited";
            first.FailNextHook = true;
        });

        Exception? failed = null;
        RunOnThread(() => failed = Record.Exception(() => tracker.CurrentThread));

        HookedThread? taken = null;
        RunOnThread(() => taken = (HookedThread)tracker.CurrentThread);

        Assert.IsType<InvalidOperationException>(failed);
        Assert.Same(first, taken);
        Assert.Equal(2, taken!.Hooks);
        Assert.Null(taken.Owned);
    }

    private static void RunOnThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        thread.Join();
    }

    [Fact]
    public void Every_thread_gets_an_object_of_the_factory_made_once_per_thread()
    {
        var tracker = new StatusTracker("factory");
        int made = 0;
        tracker.SetThreadFactory(() =>
        {
            Interlocked.Increment(ref made);
            return new CountingThread();
        });

        var mine = Assert.IsType<CountingThread>(tracker.CurrentThread);
        Assert.Same(mine, tracker.CurrentThread);

        StrategyThread? other = null;
        var worker = new Thread(() => other = tracker.CurrentThread);
        worker.Start();
        worker.Join();

        Assert.IsType<CountingThread>(other);
        Assert.NotSame(mine, other);
        Assert.Equal(2, made);
    }

    [Fact]
    public void A_thread_that_takes_over_an_exited_threads_object_keeps_its_fields_but_not_its_state()
    {
        var tracker = new StatusTracker("takeover");
        tracker.SetThreadFactory(() => new CountingThread());
        tracker.CurrentThread.State = "main";

        var exited = new Thread(() =>
        {
            var thread = (CountingThread)tracker.CurrentThread;
            thread.Calls = 7;
            thread.State = "exited";
        });
        exited.Start();
        exited.Join();

        int seenCalls = -1;
        object? seenState = "unset";
        var newcomer = new Thread(() =>
        {
            var thread = (CountingThread)tracker.CurrentThread;
            seenCalls = thread.Calls;
            seenState = thread.State;
        });
        newcomer.Start();
        newcomer.Join();

        Assert.Equal(7, seenCalls);
        Assert.Null(seenState);
    }

    [Fact]
    public void Setting_the_factory_after_the_tracker_was_used_or_a_second_time_throws()
    {
        var used = new StatusTracker("used");
        _ = used.CurrentThread;
        var late = Assert.Throws<InvalidOperationException>(() => used.SetThreadFactory(() => new CountingThread()));
        Assert.Contains("'used'", late.Message);

        var twice = new StatusTracker("twice");
        twice.SetThreadFactory(() => new CountingThread());
        Assert.Throws<InvalidOperationException>(() => twice.SetThreadFactory(() => new CountingThread()));

        Assert.Throws<ArgumentNullException>(() => new StatusTracker("null").SetThreadFactory(null!));
    }

    [Fact]
    public void A_factory_that_returns_null_or_an_object_it_returned_before_is_refused()
    {
        var returnsNull = new StatusTracker("returns-null");
        returnsNull.SetThreadFactory(() => null!);
        Assert.Throws<InvalidOperationException>(() => returnsNull.CurrentThread);

        var shared = new CountingThread();
        var reuses = new StatusTracker("reuses");
        reuses.SetThreadFactory(() => shared);
        Assert.Same(shared, reuses.CurrentThread);

        Exception? second = null;
        var worker = new Thread(() => second = Record.Exception(() => reuses.CurrentThread));
        worker.Start();
        worker.Join();

        Assert.IsType<InvalidOperationException>(second);
    }
}
