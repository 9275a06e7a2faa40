namespace MemoryStrategy.Benchmarks;

/// <summary>
/// Long-lived threads that run one piece of work together on request. They live across invocations, so their
/// per-thread caches stay warm and thread start-up is never measured; only the wake-up (microseconds against the
/// milliseconds of work) is.
/// </summary>
internal sealed class DedicatedWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _done;
    private Action? _work;
    private bool _stopping;

    public DedicatedWorkers(int count)
    {
        _threads = new Thread[count];
        _start = new SemaphoreSlim[count];
        _done = new CountdownEvent(count);
        for (int i = 0; i < count; i++)
        {
            SemaphoreSlim start = _start[i] = new SemaphoreSlim(0);
            _threads[i] = new Thread(() => Loop(start)) { IsBackground = true, Name = $"worker {i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> once on every worker at the same time and returns when all have finished.</summary>
    public void RunOnAll(Action work)
    {
        // The semaphore release and wait order these plain writes before the workers read them.
        _work = work;
        _done.Reset();
        foreach (SemaphoreSlim start in _start)
        {
            start.Release();
        }

        _done.Wait();
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (SemaphoreSlim start in _start)
        {
            start.Release();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        foreach (SemaphoreSlim start in _start)
        {
            start.Dispose();
        }

        _done.Dispose();
    }

    private void Loop(SemaphoreSlim start)
    {
        while (true)
        {
            start.Wait();
            if (_stopping)
            {
                return;
            }

            _work!();
            _done.Signal();
        }
    }
}
