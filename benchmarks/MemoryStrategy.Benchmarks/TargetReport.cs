using System.Globalization;
using BenchmarkDotNet.Reports;

namespace MemoryStrategy.Benchmarks;

/// <summary>Checks the issue's targets against a run's results, prints them and writes them as a Markdown table.</summary>
internal static class TargetReport
{
    public static void Write(IEnumerable<Summary> summaries, TextWriter console)
    {
        Dictionary<string, double> means = Measurements(summaries);
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
        console.WriteLine("Targets (issue 5), from this run:");
        console.Write(table.ToString());

        string directory = Path.Combine("BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "targets.md"), table.ToString());
    }

    private static string Row(Target target, Dictionary<string, double> means)
    {
        if (!means.TryGetValue(target.Measured, out double measured)
            || (target.Baseline is not null && !means.ContainsKey(target.Baseline)))
        {
            return $"| {target.Group} | {target.Claim} | | | | {Format(target.Limit)} | not run |";
        }

        double baseline = target.Baseline is null ? 1 : means[target.Baseline];
        double ratio = measured / baseline;
        string verdict = ratio <= target.Limit
            ? "met"
            : $"missed by {Format(ratio / target.Limit)}x";
        string baselineText = target.Baseline is null ? "" : $"{Format(baseline)} ns";
        return $"| {target.Group} | {target.Claim} | {Format(measured)} ns | {baselineText} | {Format(ratio)} | {Format(target.Limit)} | {verdict} |";
    }

    /// <summary>Mean nanoseconds per operation of every benchmark that ran, by key.</summary>
    private static Dictionary<string, double> Measurements(IEnumerable<Summary> summaries)
    {
        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (BenchmarkReport report in summaries.SelectMany(summary => summary.Reports))
        {
            if (report.ResultStatistics is { } statistics)
            {
                means[Key(report)] = statistics.Mean;
            }
        }

        return means;
    }

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
