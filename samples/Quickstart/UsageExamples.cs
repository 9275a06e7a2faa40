namespace MemoryStrategy.Samples.Quickstart;

/// <summary>The C interface's two usage examples, line for line, on an <see cref="IMemoryStrategy"/>.</summary>
internal static unsafe class UsageExamples
{
    /// <summary>The C interface's "Usage Example": initialise, validate, allocate 1024 bytes, use, free, clean up.</summary>
    public static int SingleThreaded(Func<IMemoryStrategy> initializeYourStrategy, TextWriter output)
    {
        // Initialize your strategy implementation
        IMemoryStrategy strategy = initializeYourStrategy();

        // Verify strategy is valid
        if (!strategy.Validate())
        {
            output.WriteLine("Strategy validation failed");
            strategy.Dispose();
            return 1;
        }

        // Allocate memory
        byte* ptr = (byte*)strategy.Allocate(1024);
        if (ptr is null)
        {
            output.WriteLine("Allocation failed");
            strategy.Dispose();
            return 1;
        }

        // Use the memory...
        new Span<byte>(ptr, 1024).Fill(0xAB);
        if (ptr[1023] != 0xAB)
        {
            output.WriteLine("Memory use failed");
            strategy.Dispose();
            return 1;
        }

        // Free the memory
        strategy.Deallocate(ptr);

        output.WriteLine($"single-threaded example: allocated, used and freed 1024 bytes ({strategy.GetStatus()})");
        return 0;
    }

    /// <summary>
    /// The C interface's "Thread-Safe Usage Example": worker threads that validate, allocate, check the deallocation,
    /// use and free; <paramref name="operations"/> rounds each.
    /// </summary>
    public static int MultiThreaded(IMemoryStrategy strategy, int threads, int operations, TextWriter output)
    {
        int failures = 0;
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                for (int i = 0; i < operations; i++)
                {
                    if (!WorkerThread(strategy))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            });
            workers[t].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        output.WriteLine($"thread-safe example: {threads} threads x {operations} operations, {failures} failures ({strategy.GetStatus()})");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The C interface's <c>worker_thread</c>.</summary>
    private static bool WorkerThread(IMemoryStrategy strategy)
    {
        // Always validate before use
        if (!StrategyValidator.ValidateStrategy(strategy))
        {
            return false;
        }

        // Thread-safe operations
        byte* ptr = (byte*)strategy.Allocate(1024);
        if (ptr is not null && StrategyValidator.ValidateDeallocation(strategy, ptr))
        {
            // Use memory...
            ptr[0] = 1;
            ptr[1023] = 2;
            bool intact = ptr[0] == 1 && ptr[1023] == 2;
            strategy.Deallocate(ptr);
            return intact;
        }

        return false;
    }
}
