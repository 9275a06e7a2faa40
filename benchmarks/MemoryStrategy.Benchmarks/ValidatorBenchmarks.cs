using BenchmarkDotNet.Attributes;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// Group 5: the C interface's validators on the pool, through <see cref="IMemoryStrategy"/> as any caller holds it. The
/// target is absolute (at most 2 ns each, nothing allocated), so there is no baseline.
/// </summary>
[ShortJob]
public unsafe class ValidatorBenchmarks
{
    private const int Calls = 1024;

    private readonly PoolFixtures _pools = new();
    private IMemoryStrategy _strategy = null!;
    private void* _live;

    [GlobalSetup]
    public void Setup()
    {
        _pools.Create();
        _strategy = _pools.Strategy;
        _live = _strategy.Allocate(Workloads.BlockSize);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _strategy.Deallocate(_live);
        _pools.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int ValidateAllocation()
    {
        IMemoryStrategy strategy = _strategy;
        int valid = 0;
        for (int i = 0; i < Calls; i++)
        {
            valid += StrategyValidator.ValidateAllocation(strategy, Workloads.BlockSize) ? 1 : 0;
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int ValidateDeallocation()
    {
        IMemoryStrategy strategy = _strategy;
        void* live = _live;
        int valid = 0;
        for (int i = 0; i < Calls; i++)
        {
            valid += StrategyValidator.ValidateDeallocation(strategy, live) ? 1 : 0;
        }

        return valid;
    }
}
