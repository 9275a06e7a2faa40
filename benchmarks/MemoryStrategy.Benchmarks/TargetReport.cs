using System.Globalization;
using BenchmarkDotNet.Reports;

namespace MemoryStrategy.Benchmarks;

/// <summary>Checks the project's goals against a run's results, prints them and writes them as a Markdown table.</summary>
internal static class TargetReport
{
    public static void Write(IEnumerable<Summary> summaries, TextWriter console)
    {
        Dictionary<string, Measurement> means = Measurements(summaries);
        if (means.Count == 0)
        {
            return;
        }

        var table = new StringWriter(CultureInfo.InvariantCulture);
        table.WriteLine("| group | target | measured | baseline | ratio | limit | verdict |");
        table.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (Target target in Target.All)
        {
            table.WriteLine(Row(target, means));
        }

        console.WriteLine();
        console.WriteLine("Goals, from this run:");
        console.Write(table.ToString());

        string directory = Path.Combine("BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "targets.md"), table.ToString());
    }

    private static string Row(Target target, Dictionary<string, Measurement> means)
    {
        if (!means.TryGetValue(target.Measured, out Measurement measured)
            || (target.Baseline is not null && !means.ContainsKey(target.Baseline)))
        {
            return $"| {target.Group} | {target.Claim} | | | | {Format(target.Limit)} | not run |";
        }

        double baseline = target.Baseline is null ? 1 : means[target.Baseline].Nanoseconds;
        double ratio = measured.Nanoseconds / baseline;
        var misses = new List<string>();
        if (ratio > target.Limit)
        {
            misses.Add($"missed by {Format(ratio / target.Limit)}x");
        }

        if (target.NoAllocation && measured.AllocatedBytes != 0)
        {
            misses.Add($"allocates {measured.AllocatedBytes} B");
        }

        string verdict = misses.Count == 0 ? "met" : string.Join(", ", misses);
        string baselineText = target.Baseline is null ? "" : $"{Format(baseline)} ns";
        return $"| {target.Group} | {target.Claim} | {Format(measured.Nanoseconds)} ns | {baselineText} | {Format(ratio)} | {Format(target.Limit)} | {verdict} |";
    }

    /// <summary>Mean nanoseconds and managed bytes allocated per operation of every benchmark that ran, by key.</summary>
    private static Dictionary<string, Measurement> Measurements(IEnumerable<Summary> summaries)
    {
        var means = new Dictionary<string, Measurement>(StringComparer.Ordinal);
        foreach (BenchmarkReport report in summaries.SelectMany(summary => summary.Reports))
        {
            if (report.ResultStatistics is { } statistics)
            {
                long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
                means[Key(report)] = new Measurement(statistics.Mean, allocated);
            }
        }

        return means;
    }

    private readonly record struct Measurement(double Nanoseconds, long AllocatedBytes);

    private static string Key(BenchmarkReport report)
    {
        var descriptor = report.BenchmarkCase.Descriptor;
        string key = $"{descriptor.Type.Name}.{descriptor.WorkloadMethod.Name}";
        foreach (var parameter in report.BenchmarkCase.Parameters.Items)
        {
            key += $"[{parameter.Name}={parameter.Value}]";
        }

        return key;
    }

    private static string Format(double value) => value.ToString(value < 10 ? "0.###" : "0.#", CultureInfo.InvariantCulture);
}
