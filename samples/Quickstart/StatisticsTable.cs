namespace MemoryStrategy.Samples.Quickstart;

/// <summary>Prints strategies' status and statistics as a fixed-width table, with a legend of the columns.</summary>
internal static class StatisticsTable
{
    /// <summary>One strategy instance and the example it ran.</summary>
    public sealed record Row(IMemoryStrategy Strategy, string Example);

    private static readonly string[] Headers =
        ["strategy", "example", "status", "allocs", "frees", "failed", "refused", "refused frees", "live", "peak", "bytes"];

    private const int LeftAligned = 3;

    private const string Legend = """
        example        single-threaded: the usage example; multi-threaded (N): the thread-safe example on N threads
        allocs         allocations served (the strategy returned a block)
        frees          blocks returned through a valid deallocation
        failed         valid requests the strategy could not serve (exhausted)
        refused        requests refused before the strategy: size 0, above its limit, or a faulted/disposed strategy
        refused frees  deallocations refused: null, foreign, interior or already-freed pointers
        live           blocks handed out and not yet returned
        peak           the most blocks live at once (sampled when several threads allocate: a lower bound)
        bytes          bytes requested by the allocations served
        """;

    public static void Write(TextWriter output, IEnumerable<Row> strategies)
    {
        var rows = new List<string[]> { Headers };
        foreach (Row row in strategies)
        {
            StrategyStatistics s = row.Strategy.StatusTracker.GetStatistics();
            rows.Add(
            [
                row.Strategy.StatusTracker.Name, row.Example, row.Strategy.GetStatus().ToString(),
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
            output.WriteLine(string.Join("  ", rows[r].Select((cell, i) => i < LeftAligned ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))));
            if (r == 0)
            {
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }

        output.WriteLine();
        output.WriteLine(Legend);
    }
}
