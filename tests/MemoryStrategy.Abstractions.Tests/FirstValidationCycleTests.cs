namespace MemoryStrategy.Abstractions.Tests;

/// <summary>
/// First validations on different threads whose checks validate each other's strategy: a cycle of waits between
/// threads, which must end as a validation nested in a thread's own check does, not in a deadlock.
/// </summary>
[Collection(TrackerIndexCollection.Name)]
public class FirstValidationCycleTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Checks_that_validate_each_other_on_as_many_threads_all_finish(int strategies)
    {
        var trackers = Enumerable.Range(0, strategies).Select(i => new StatusTracker($"s{i}")).ToArray();
        using var inside = new Barrier(strategies);
        var checks = new Func<int, bool>[strategies];
        for (int i = 0; i < strategies; i++)
        {
            int next = (i + 1) % strategies;

            // Every thread is inside its own first check before any of them validates the next strategy: each then
            // waits for the next thread's check, and the last for the first's.
            checks[i] = _ =>
            {
                inside.SignalAndWait();
                return trackers[next].RunValidation(0, checks[next]);
            };
        }

        var results = new bool[strategies];
        var threads = Enumerable.Range(0, strategies)
            .Select(i => new Thread(() => results[i] = trackers[i].RunValidation(0, checks[i])) { IsBackground = true })
            .ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        // A liveness bound, not a timing: without the cycle test the threads never return.
        bool finished = threads.All(thread => thread.Join(TimeSpan.FromMinutes(2)));

        Assert.True(finished, "first validations that validate each other deadlocked");
        Assert.All(results, Assert.True);
        Assert.All(trackers, tracker => Assert.Equal(StrategyStatus.Ready, tracker.Status));
    }
}
