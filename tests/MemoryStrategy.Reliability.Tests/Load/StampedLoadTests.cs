using MemoryStrategy.Reliability.Tests.Infrastructure;

namespace MemoryStrategy.Reliability.Tests.Load;

/// <summary>
/// Every strategy under N threads (2, 4 and 8 on a 2-core machine: oversubscription is the point) for
/// <see cref="Seeds.Operations"/> operations each, with stamped blocks passed between threads. After the threads join
/// the statistics balance exactly and every block is back in the strategy.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class StampedLoadTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (StrategyCase strategy in StrategyCatalog.All)
        {
            foreach (int threads in new[] { 2, 4, 8 })
            {
                data.Add(strategy.Name, threads);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Blocks_are_never_shared_and_the_books_balance(string name, int threads)
    {
        StrategyCase strategyCase = StrategyCatalog.Get(name);
        int seed = Seeds.Next(output);
        using IMemoryStrategy strategy = strategyCase.CreateLoaded();
        nuint max = strategyCase.LoadSize;

        WorkloadTotals totals = new StampedWorkload(strategy, random => StrategyCase.NextSize(random, max)).Run(threads, Seeds.Operations, seed);

        output.WriteLine($"{totals}");
        StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
        Assert.True(totals.Served > (long)threads * Seeds.Operations / 8, $"seed {seed}: only {totals.Served} allocations served");
        Assert.True(totals.HandedOff >= threads * 256L, $"seed {seed}: only {totals.HandedOff} blocks crossed threads");
        Assert.Equal(totals.Served, totals.Freed);
        Assert.Equal(totals.Served, stats.Allocations);
        Assert.Equal(totals.Freed, stats.Deallocations);
        Assert.Equal(totals.Failed, stats.FailedAllocations);
        Assert.Equal(totals.Bytes, stats.BytesRequested);
        Assert.Equal(0, stats.RefusedAllocations);
        Assert.Equal(0, stats.RefusedDeallocations);
        Assert.Equal(0, stats.LiveAllocations);
        Assert.True(strategy.Validate(), $"seed {seed}: the strategy no longer validates ({strategy.GetStatus()})");
        Assert.Null(strategyCase.AllBlocksFree(strategy));
    }
}
