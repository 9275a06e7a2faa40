using System.Runtime.ExceptionServices;

namespace MemoryStrategy.Samples.Tests;

/// <summary>Runs bodies on dedicated threads released together, and rethrows the first failure on the caller.</summary>
internal static class Threads
{
    public static void Run(int count, Action<int> body)
    {
        using var start = new Barrier(count);
        ExceptionDispatchInfo? failure = null;
        var threads = new Thread[count];
        for (int t = 0; t < count; t++)
        {
            int id = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    body(id);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        failure?.Throw();
    }

    /// <summary>Runs <paramref name="body"/> on a new thread that has exited by the time this returns.</summary>
    public static void RunAndExit(Action body) => Run(1, _ => body());
}
