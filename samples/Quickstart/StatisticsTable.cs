namespace MemoryStrategy.Samples.Quickstart;

/// <summary>Prints strategies' status and statistics as a fixed-width table.</summary>
internal static class StatisticsTable
{
    private static readonly string[] Headers =
        ["strategy", "status", "allocs", "frees", "failed", "refused", "refused frees", "live", "peak", "bytes"];

    public static void Write(TextWriter output, IEnumerable<IMemoryStrategy> strategies)
    {
        var rows = new List<string[]> { Headers };
        foreach (IMemoryStrategy strategy in strategies)
        {
            StrategyStatistics s = strategy.StatusTracker.GetStatistics();
            rows.Add(
            [
                strategy.StatusTracker.Name, strategy.GetStatus().ToString(),
                s.Allocations.ToString(), s.Deallocations.ToString(), s.FailedAllocations.ToString(),
                s.RefusedAllocations.ToString(), s.RefusedDeallocations.ToString(),
                s.LiveAllocations.ToString(), s.PeakLiveAllocations.ToString(), s.BytesRequested.ToString(),
            ]);
        }

        int[] widths = new int[Headers.Length];
        foreach (string[] row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        for (int r = 0; r < rows.Count; r++)
        {
            output.WriteLine(string.Join("  ", rows[r].Select((cell, i) => i < 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))));
            if (r == 0)
            {
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }
}
