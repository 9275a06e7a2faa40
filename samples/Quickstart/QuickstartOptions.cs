using System.Globalization;

namespace MemoryStrategy.Samples.Quickstart;

/// <summary>
/// The command line: <c>--threads N</c>, <c>--operations N</c> (each also as <c>--name=N</c>) and <c>--help</c>.
/// A bad argument produces an error that names it and the value, never a silent default.
/// </summary>
internal sealed class QuickstartOptions
{
    public const int MaxThreads = 1024;

    public const string Usage = """
        usage: dotnet run --project samples/Quickstart -c Release -- [--threads N] [--operations N] [--help]

        Runs the C MemoryStrategy interface's two usage examples (single-threaded, then thread-safe) on each
        sample strategy (all generated from [MemoryStrategy] classes), prints each example's result and a table of the
        strategies' status and statistics, and exits 0 when every example passed, 1 when one failed, 2 for a bad
        argument.

        options:
          --threads N      worker threads of the thread-safe example, 1 to 1024 (default 2)
          --operations N   allocate/validate/use/free rounds per worker thread, at least 1 (default 10000); the bump
                           arena's run is capped so that it fits its 256 MiB (it never reuses memory), and the
                           output says so when the cap applies
          -h, --help       print this text and exit
        """;

    public int Threads { get; private set; } = 2;

    public int Operations { get; private set; } = 10_000;

    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>; on a bad argument returns null and sets <paramref name="error"/>.</summary>
    public static QuickstartOptions? Parse(string[] args, out string? error)
    {
        var options = new QuickstartOptions();
        error = null;
        for (int i = 0; i < args.Length && error is null; i++)
        {
            string argument = args[i];
            int equals = argument.IndexOf('=');
            string name = equals < 0 ? argument : argument[..equals];
            switch (name)
            {
                case "-h" or "--help":
                    options.Help = true;
                    break;
                case "--threads" or "--operations":
                    string? value = equals >= 0 ? argument[(equals + 1)..] : i + 1 < args.Length ? args[++i] : null;
                    int maximum = name == "--threads" ? MaxThreads : int.MaxValue;
                    if (ReadCount(name, value, maximum, out int count, out error))
                    {
                        if (name == "--threads")
                        {
                            options.Threads = count;
                        }
                        else
                        {
                            options.Operations = count;
                        }
                    }

                    break;
                default:
                    error = $"unknown option '{argument}'";
                    break;
            }
        }

        return error is null ? options : null;
    }

    private static bool ReadCount(string name, string? value, int maximum, out int count, out string? error)
    {
        // Digits only (no sign, no spaces); parsed as a decimal so a huge count is "above the limit", not "not a number".
        decimal parsed = 0;
        error = value switch
        {
            null => $"{name}: a value is missing",
            _ when !decimal.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out parsed) || parsed == 0 =>
                $"{name}: '{value}' is not a positive integer",
            _ when parsed > maximum => $"{name}: {value} is above the limit of {maximum}",
            _ => null,
        };
        count = error is null ? (int)parsed : 0;
        return error is null;
    }
}
