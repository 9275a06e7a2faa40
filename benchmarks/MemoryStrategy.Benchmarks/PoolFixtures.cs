using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>The pools every group measures: the generated strategy (and a second one like it) and the bare engine, relaxed and strict, 64 K blocks of 64 bytes.</summary>
internal sealed class PoolFixtures : IDisposable
{
    private const int BlockCount = 1 << 16;

    public MemoryPoolStrategy Strategy { get; private set; } = null!;

    public MemoryPoolStrategy StrictStrategy { get; private set; } = null!;

    /// <summary>A second pool like <see cref="Strategy"/>, for a thread that uses two strategies in turn.</summary>
    public MemoryPoolStrategy SecondStrategy { get; private set; } = null!;

    public FixedBlockPool Core { get; private set; } = null!;

    public FixedBlockPool StrictCore { get; private set; } = null!;

    public void Create()
    {
        Strategy = new MemoryPoolStrategy(Workloads.BlockSize, BlockCount);
        StrictStrategy = new MemoryPoolStrategy(Workloads.BlockSize, BlockCount, strictDoubleFree: true);
        SecondStrategy = new MemoryPoolStrategy(Workloads.BlockSize, BlockCount);
        Core = new FixedBlockPool(Workloads.BlockSize, BlockCount);
        StrictCore = new FixedBlockPool(Workloads.BlockSize, BlockCount, strict: true);

        // Validated once up front, as the C interface's examples do: the first call must not be the one measured.
        if (!Strategy.Validate() || !StrictStrategy.Validate() || !SecondStrategy.Validate())
        {
            throw new InvalidOperationException("the pool failed its first validation");
        }
    }

    public void Dispose()
    {
        Strategy.Dispose();
        StrictStrategy.Dispose();
        SecondStrategy.Dispose();
        Core.Dispose();
        StrictCore.Dispose();
    }
}
