using MemoryStrategy.Reliability.Tests.Strategies;

namespace MemoryStrategy.Reliability.Tests.Infrastructure;

/// <summary>Every strategy the load and hostile-input tests run, by name.</summary>
internal static class StrategyCatalog
{
    public static IReadOnlyList<StrategyCase> All { get; } =
    [
        new("TrackedHeap", () => new TrackedHeap(), strategy =>
        {
            var heap = (TrackedHeap)strategy;
            return heap.Outstanding == 0 ? null : $"{heap.Outstanding} blocks still out of the C heap";
        }),
    ];

    public static StrategyCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Names() => new(All.Select(c => c.Name));
}
