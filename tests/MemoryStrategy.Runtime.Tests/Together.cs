namespace MemoryStrategy.Runtime.Tests;

/// <summary>Runs an action on several dedicated threads released at the same moment, to make races likely.</summary>
internal static class Together
{
    public static void Run(int threads, Action<int> action)
    {
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        Exception? failure = null;
        for (int i = 0; i < threads; i++)
        {
            int index = i;
            workers[i] = new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    action(index);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            });
            workers[i].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        if (failure is not null)
        {
            throw new AggregateException(failure);
        }
    }
}
