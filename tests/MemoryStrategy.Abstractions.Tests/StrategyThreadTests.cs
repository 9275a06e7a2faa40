namespace MemoryStrategy.Abstractions.Tests;

/// <summary>
/// <see cref="StatusTracker.CurrentThread"/> and the <see cref="StrategyThread"/> overloads of the recorders: one
/// object per thread and tracker, counts that land in the tracker's totals, state that never passes between threads.
/// </summary>
// One collection with the tests that make many trackers: indices freed by one are not taken by the other meanwhile.
[Collection(TrackerIndexCollection.Name)]
public sealed class StrategyThreadTests
{
    [Fact]
    public void Each_thread_gets_its_own_object_and_the_same_one_on_every_call()
    {
        var tracker = new StatusTracker("threads");
        StrategyThread mine = tracker.CurrentThread;
        Assert.Same(mine, tracker.CurrentThread);

        StrategyThread? other = null;
        var worker = new Thread(() => other = tracker.CurrentThread);
        worker.Start();
        worker.Join();

        Assert.NotNull(other);
        Assert.NotSame(mine, other);
    }

    [Fact]
    public void Counts_recorded_through_the_thread_object_reach_the_statistics()
    {
        var tracker = new StatusTracker("counts");
        Assert.True(tracker.TryInitialize(true));
        StrategyThread thread = tracker.CurrentThread;

        tracker.RecordAllocation(thread, 64);
        tracker.RecordAllocation(thread, 32);
        tracker.RecordDeallocation(thread);

        StrategyStatistics stats = tracker.GetStatistics();
        Assert.Equal(2, stats.Allocations);
        Assert.Equal(1, stats.Deallocations);
        Assert.Equal(96, stats.BytesRequested);
        Assert.Equal(1, stats.LiveAllocations);
        Assert.Equal(2, stats.PeakLiveAllocations);
    }

    [Fact]
    public void A_successful_allocation_through_the_thread_object_moves_degraded_back_to_ready()
    {
        var tracker = new StatusTracker("degraded");
        Assert.True(tracker.TryInitialize(true));
        tracker.RecordFailedAllocation();
        Assert.Equal(StrategyStatus.Degraded, tracker.Status);

        tracker.RecordAllocation(tracker.CurrentThread, 8);

        Assert.Equal(StrategyStatus.Ready, tracker.Status);
    }

    [Fact]
    public void State_is_per_thread_and_is_not_handed_to_a_thread_that_takes_over_an_exited_threads_counts()
    {
        var tracker = new StatusTracker("state");
        Assert.True(tracker.TryInitialize(true));
        tracker.CurrentThread.State = "main";

        var exited = new Thread(() =>
        {
            StrategyThread thread = tracker.CurrentThread;
            thread.State = "exited";
            tracker.RecordAllocation(thread, 16);
        });
        exited.Start();
        exited.Join();

        object? seenByNewcomer = "unset";
        var newcomer = new Thread(() =>
        {
            StrategyThread thread = tracker.CurrentThread;
            seenByNewcomer = thread.State;
            thread.State = "newcomer";
            Assert.Equal("newcomer", tracker.CurrentThread.State);
        });
        newcomer.Start();
        newcomer.Join();

        Assert.Null(seenByNewcomer);
        Assert.Equal("main", tracker.CurrentThread.State);

        // The exited thread's count is still part of the totals.
        Assert.Equal(1, tracker.GetStatistics().Allocations);
    }

    [Fact]
    public void Trackers_used_in_turn_by_one_thread_each_keep_their_own_object_and_exact_counts()
    {
        // More trackers than a thread's first table holds, used round-robin: every switch must find the right object.
        var trackers = new StatusTracker[40];
        var objects = new StrategyThread[trackers.Length];
        for (int i = 0; i < trackers.Length; i++)
        {
            trackers[i] = new StatusTracker("in-turn-" + i);
            Assert.True(trackers[i].TryInitialize(true));
        }

        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < trackers.Length; i++)
            {
                StrategyThread thread = trackers[i].CurrentThread;
                if (round == 0)
                {
                    objects[i] = thread;
                }

                Assert.Same(objects[i], thread);
                trackers[i].RecordAllocation(thread, (nuint)(i + 1));
            }
        }

        for (int i = 0; i < trackers.Length; i++)
        {
            StrategyStatistics stats = trackers[i].GetStatistics();
            Assert.Equal(3, stats.Allocations);
            Assert.Equal(3 * (i + 1), stats.BytesRequested);
        }
    }

    [Fact]
    public void The_lookup_finds_each_trackers_object_after_compacting_collections_move_them()
    {
        // The slots are read through their array's address: the array must stay where it is while the objects it
        // holds move. Fresh objects in gen0 are moved by a compacting collection; each lookup must still return them.
        var trackers = new StatusTracker[16];
        var objects = new WeakReference[trackers.Length];
        for (int i = 0; i < trackers.Length; i++)
        {
            trackers[i] = new StatusTracker("moved" + i);
            objects[i] = new WeakReference(trackers[i].CurrentThread);
        }

        for (int round = 0; round < 3; round++)
        {
            // Garbage between the objects, so compaction has something to squeeze out.
            for (int i = 0; i < 1000; i++)
            {
                _ = new byte[64];
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            for (int i = 0; i < trackers.Length; i++)
            {
                StrategyThread thread = trackers[i].CurrentThread;
                Assert.Same(objects[i].Target, thread);
                trackers[i].RecordAllocation(thread, 8);
            }
        }

        for (int i = 0; i < trackers.Length; i++)
        {
            Assert.Equal(3, trackers[i].GetStatistics().Allocations);
        }
    }

    [Fact]
    public void A_tracker_beyond_the_first_slots_grows_the_threads_slots_and_fills_its_own()
    {
        // Trackers stay alive (no index is reused) until one has an index beyond a thread's first slots.
        var trackers = new List<StatusTracker>();
        StatusTracker beyond;
        do
        {
            beyond = new StatusTracker("beyond-" + trackers.Count);
            trackers.Add(beyond);
        }
        while (beyond.Slot < StatusTracker.ThreadSlots.InitialCount + 40);

        StatusTracker first = trackers.MinBy(tracker => tracker.Slot)!;
        Assert.True(first.TryInitialize(true));
        Assert.True(beyond.TryInitialize(true));

        // A new thread starts with the first slots; its first call of the tracker beyond them grows them.
        StrategyThread? firstThread = null, beyondThread = null;
        bool same = true;
        StatusTracker.ThreadSlots? slots = null;
        var worker = new Thread(() =>
        {
            firstThread = first.CurrentThread;
            beyondThread = beyond.CurrentThread;
            for (int i = 0; i < 100; i++)
            {
                same &= ReferenceEquals(firstThread, first.CurrentThread) && ReferenceEquals(beyondThread, beyond.CurrentThread);
                beyond.RecordAllocation(beyond.CurrentThread, 8);
            }

            slots = StatusTracker.CurrentSlots;
        });
        worker.Start();
        worker.Join();

        Assert.True(same);
        Assert.NotNull(slots);
        Assert.True(slots.Items.Length > beyond.Slot);
        Assert.Same(firstThread, slots.Items[first.Slot]);
        Assert.Same(beyondThread, slots.Items[beyond.Slot]);

        // Grown slots hold no null (the lookup does not test for one): every slot no tracker filled is the empty one.
        Assert.All(slots.Items, item => Assert.True(
            item is not null && (ReferenceEquals(item, StatusTracker.ThreadSlots.EmptySlot) || item == firstThread || item == beyondThread)));
        Assert.Equal(100, beyond.GetStatistics().Allocations);
        GC.KeepAlive(trackers);
    }

    [Fact]
    public void A_thread_lets_collected_trackers_objects_go_when_it_next_starts_using_a_strategy()
    {
        // Eight trackers used on this thread (each fills its slot and its table entry), then dropped and collected:
        // their objects are still held by this thread's slots and table until it drops them.
        WeakReference[] objects = UseAndDrop(8);
        Collect();
        Assert.Contains(objects, weak => weak.IsAlive);

        // A new tracker's first call on this thread drops the collected trackers' objects on the way (without that,
        // only the one slot the new tracker may reuse would be cleared), whether or not the new tracker has a slot.
        var fresh = new StatusTracker("fresh");
        Assert.True(fresh.TryInitialize(true));
        _ = fresh.CurrentThread;
        Collect();
        Assert.All(objects, weak => Assert.False(weak.IsAlive));

        // A dropped slot holds the empty one, not null, and matches no tracker: a new tracker that reuses its index
        // still finds its own object.
        Assert.All(StatusTracker.CurrentSlots!.Items, item => Assert.NotNull(item));
        var reusing = new StatusTracker("reusing");
        Assert.True(reusing.TryInitialize(true));
        StrategyThread reused = reusing.CurrentThread;
        Assert.NotSame(StatusTracker.ThreadSlots.EmptySlot, reused);
        Assert.Same(reused, reusing.CurrentThread);
        GC.KeepAlive(reusing);
        GC.KeepAlive(fresh);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static WeakReference[] UseAndDrop(int count)
        {
            var objects = new WeakReference[count];
            for (int i = 0; i < count; i++)
            {
                var tracker = new StatusTracker("used-then-dropped-" + i);
                Assert.True(tracker.TryInitialize(true));
                objects[i] = new WeakReference(tracker.CurrentThread);
            }

            return objects;
        }

        static void Collect()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
    }

    [Fact]
    public void A_tracker_made_after_many_were_dropped_and_collected_reuses_a_returned_index()
    {
        // More trackers than a thread's first slots, all dropped: once collected, their indices are free again, and
        // new trackers get returned ones, so indices (and every thread's slots) stay as small as the trackers alive.
        int highest = MakeAndDrop(2 * StatusTracker.ThreadSlots.InitialCount);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var trackers = new List<StatusTracker>();
        for (int i = 0; i < 8; i++)
        {
            trackers.Add(new StatusTracker("after-" + i));
        }

        Assert.All(trackers, tracker => Assert.True(tracker.Slot <= highest));

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static int MakeAndDrop(int count)
        {
            int highest = 0;
            for (int i = 0; i < count; i++)
            {
                highest = Math.Max(highest, new StatusTracker("dropped-" + i).Slot);
            }

            return highest;
        }
    }

    [Fact]
    public void ThreadFrom_another_trackers_object_is_the_same_as_CurrentThread()
    {
        var outer = new StatusTracker("outer");
        var inner = new StatusTracker("inner");
        StrategyThread outerThread = outer.CurrentThread;

        // First use of the inner tracker on this thread, found through the outer one's object.
        StrategyThread innerThread = inner.ThreadFrom(outerThread);
        Assert.Same(innerThread, inner.CurrentThread);
        Assert.Same(innerThread, inner.ThreadFrom(outerThread));
        Assert.Same(outerThread, outer.ThreadFrom(innerThread));

        StrategyThread? otherInner = null;
        var worker = new Thread(() => otherInner = inner.ThreadFrom(outer.CurrentThread));
        worker.Start();
        worker.Join();
        Assert.NotNull(otherInner);
        Assert.NotSame(innerThread, otherInner);
    }

    [Fact]
    public void A_collected_trackers_place_goes_to_a_new_tracker_without_its_counts()
    {
        UseAndDropTrackers(64);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The new trackers take the collected ones' places in this thread's table: each must get a fresh object.
        for (int i = 0; i < 64; i++)
        {
            var tracker = new StatusTracker("reused-" + i);
            Assert.Equal(0, tracker.CurrentThread.Allocations);
            Assert.Equal(0, tracker.GetStatistics().Allocations);
            Assert.True(tracker.TryInitialize(true));
            tracker.RecordAllocation(tracker.CurrentThread, 8);
            Assert.Equal(1, tracker.GetStatistics().Allocations);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UseAndDropTrackers(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var tracker = new StatusTracker("dropped-" + i);
            Assert.True(tracker.TryInitialize(true));
            tracker.RecordAllocation(tracker.CurrentThread, 8);
        }
    }

    [Fact]
    public void The_counters_have_a_line_of_their_own_and_a_derived_types_fields_start_after_192_bytes()
    {
        // The runtime does not extend a class to its StructLayout size: without the tail field, a derived type's fields
        // began at 128 and the next object right after the counters.
        var thread = (LayoutProbe)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(LayoutProbe));
        ref byte first = ref System.Runtime.CompilerServices.Unsafe.As<RawObject>(thread).FirstField;
        Assert.Equal(64, (int)System.Runtime.CompilerServices.Unsafe.ByteOffset(ref first, ref System.Runtime.CompilerServices.Unsafe.As<long, byte>(ref thread.Allocations)));
        Assert.Equal(192, (int)System.Runtime.CompilerServices.Unsafe.ByteOffset(ref first, ref System.Runtime.CompilerServices.Unsafe.As<long, byte>(ref thread.Derived)));
    }

    private sealed class LayoutProbe : StrategyThread
    {
        public long Derived;
    }

    private sealed class RawObject
    {
#pragma warning disable CS0649 // Only its address is taken, of objects of other types.
        public byte FirstField;
#pragma warning restore CS0649
    }
}
