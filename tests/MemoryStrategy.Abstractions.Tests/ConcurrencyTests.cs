namespace MemoryStrategy.Abstractions.Tests;

/// <summary>
/// The status tracker on real threads: racing transitions, and statistics written from several threads.
/// </summary>
/// <remarks>
/// These are smoke tests on the real scheduler: two cores rarely interleave two threads inside one transition, so a
/// transition written as a read then a write (not one CAS) passes here most runs. That bug is the job of
/// MemoryStrategy.Coyote.Tests' StatusTransitionInterleavingTests, which controls the interleaving (planted, it was found
/// within 5-9 schedules in each of 6 runs; docs/reliability.md lists the planted bugs and the test that catches each).
/// </remarks>
public class ConcurrencyTests
{
    private const int Rounds = 2_000;

    [Theory]
    [InlineData(StrategyStatus.Ready, StrategyStatus.Degraded)]
    [InlineData(StrategyStatus.Ready, StrategyStatus.Faulted)]
    [InlineData(StrategyStatus.Degraded, StrategyStatus.Ready)]
    [InlineData(StrategyStatus.Faulted, StrategyStatus.Disposed)]
    public void Of_threads_racing_the_same_transition_exactly_one_wins(StrategyStatus from, StrategyStatus to)
    {
        const int threads = 4;
        for (int round = 0; round < Rounds / 10; round++)
        {
            StatusTracker tracker = StatusTransitionTests.TrackerIn(from);
            int winners = RunTogether(threads, _ => tracker.TryTransition(from, to) ? 1 : 0);

            Assert.Equal(1, winners);
            Assert.Equal(to, tracker.Status);
        }
    }

    [Fact]
    public void Of_threads_racing_to_dispose_exactly_one_disposes()
    {
        for (int round = 0; round < Rounds / 10; round++)
        {
            StatusTracker tracker = StatusTransitionTests.TrackerIn(StrategyStatus.Ready);
            int winners = RunTogether(3, i => (i == 0 ? tracker.TryFault() : tracker.TryDispose()) && i != 0 ? 1 : 0);

            Assert.Equal(1, winners);
            Assert.Equal(StrategyStatus.Disposed, tracker.Status);
        }
    }

    [Fact]
    public void Statistics_written_by_several_threads_sum_exactly_after_they_join()
    {
        const int threads = 4;
        const int perThread = 100_000;
        var tracker = new StatusTracker("stats");
        tracker.TryInitialize(true);

        RunTogether(threads, i =>
        {
            for (int n = 0; n < perThread; n++)
            {
                tracker.RecordAllocation((nuint)(i + 1));
                if (n % 2 == 0)
                {
                    tracker.RecordDeallocation();
                }

                if (n % 10 == 0)
                {
                    tracker.RecordRefusedAllocation();
                    tracker.RecordRefusedDeallocation();
                }
            }

            return 0;
        });

        StrategyStatistics stats = tracker.GetStatistics();
        Assert.Equal(threads * perThread, stats.Allocations);
        Assert.Equal(threads * perThread / 2, stats.Deallocations);
        Assert.Equal(threads * perThread / 10, stats.RefusedAllocations);
        Assert.Equal(threads * perThread / 10, stats.RefusedDeallocations);
        Assert.Equal(threads * perThread / 2, stats.LiveAllocations);
        Assert.Equal((long)perThread * (1 + 2 + 3 + 4), stats.BytesRequested);
        Assert.InRange(stats.PeakLiveAllocations, 1, stats.Allocations);
    }

    [Fact]
    public void Statistics_survive_the_threads_that_wrote_them_and_their_StrategyThreads_are_reused()
    {
        var tracker = new StatusTracker("churn");
        for (int i = 0; i < 50; i++)
        {
            var thread = new Thread(() => tracker.RecordAllocation(1));
            thread.Start();
            thread.Join();
        }

        Assert.Equal(50, tracker.GetStatistics().Allocations);
        Assert.Equal(50, tracker.GetStatistics().BytesRequested);
    }

    [Fact]
    public void Peak_is_exact_for_a_single_thread()
    {
        var tracker = new StatusTracker("peak");
        for (int i = 0; i < 10; i++)
        {
            tracker.RecordAllocation(1);
        }

        for (int i = 0; i < 10; i++)
        {
            tracker.RecordDeallocation();
        }

        tracker.RecordAllocation(1);

        StrategyStatistics stats = tracker.GetStatistics();
        Assert.Equal(10, stats.PeakLiveAllocations);
        Assert.Equal(1, stats.LiveAllocations);
    }

    // Two threads hold 8 blocks each at the same time, then free them before anyone reads the statistics: the peak
    // (16) was live only between two allocations, so only a sample taken then can report it. The second thread's
    // eighth allocation doubles its previous high and samples, seeing the first thread's 8.
    [Fact]
    public void A_peak_reached_by_two_threads_holding_blocks_at_once_is_reported()
    {
        var tracker = new StatusTracker("rising");
        using var firstHolds = new ManualResetEventSlim();
        using var secondDone = new ManualResetEventSlim();

        var first = new Thread(() =>
        {
            StrategyThread me = tracker.CurrentThread;
            for (int i = 0; i < 8; i++)
            {
                tracker.RecordAllocation(me, 1);
            }

            firstHolds.Set();
            secondDone.Wait();
            for (int i = 0; i < 8; i++)
            {
                tracker.RecordDeallocation(me);
            }
        });
        var second = new Thread(() =>
        {
            firstHolds.Wait();
            StrategyThread me = tracker.CurrentThread;
            for (int i = 0; i < 8; i++)
            {
                tracker.RecordAllocation(me, 1);
            }

            for (int i = 0; i < 8; i++)
            {
                tracker.RecordDeallocation(me);
            }

            secondDone.Set();
        });
        first.Start();
        second.Start();
        first.Join();
        second.Join();

        StrategyStatistics stats = tracker.GetStatistics();
        Assert.Equal(0, stats.LiveAllocations);
        Assert.Equal(16, stats.PeakLiveAllocations);
    }

    /// <summary>Starts <paramref name="threads"/> threads released together by a barrier; sums what they return.</summary>
    internal static int RunTogether(int threads, Func<int, int> body)
    {
        using var barrier = new Barrier(threads);
        int total = 0;
        var workers = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            int index = i;
            workers[i] = new Thread(() =>
            {
                barrier.SignalAndWait();
                Interlocked.Add(ref total, body(index));
            });
            workers[i].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        return total;
    }
}
