using System.Collections.Concurrent;

namespace MemoryStrategy.Testing;

/// <summary>Runs a body on dedicated threads released together, and fails the test with any exception they threw.</summary>
internal static class Workers
{
    public static void Run(int count, Action<int> body)
    {
        using var start = new Barrier(count);
        var errors = new ConcurrentQueue<Exception>();
        Thread[] threads = Enumerable.Range(0, count).Select(index => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                body(index);
            }
            catch (Exception exception)
            {
                errors.Enqueue(exception);
            }
        })).ToArray();

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(errors);
    }

    /// <summary>Runs <paramref name="body"/> on a new thread that has exited by the time this returns.</summary>
    public static void RunAndExit(Action body) => Run(1, _ => body());
}
