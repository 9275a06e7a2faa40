using MemoryStrategy.Samples;

namespace MemoryStrategy.Reliability.Tests.Strategies;

/// <summary>
/// The reference pool's engine behind the debug option <c>PoisonFreedMemory</c>: its free lists live outside the blocks,
/// so a freed block keeps its poison until someone writes through a dangling pointer.
/// </summary>
[MemoryStrategy(MaxAllocationSize = BlockSize, PoisonFreedMemory = true)]
internal sealed unsafe partial class PoisonedPool
{
    public const int BlockSize = 256;

    private readonly FixedBlockPool _pool = new(BlockSize, 64, strict: true);

    [Allocate]
    private void* Take(nuint size) => _pool.Allocate();

    [Deallocate]
    private void Give(void* ptr) => _pool.Free(ptr);

    [Owns]
    private bool IsLive(void* ptr) => _pool.Owns(ptr);

    [Cleanup]
    private void Release() => _pool.Dispose();
}

/// <summary>The reference pool's engine with <c>ZeroOnAllocate</c>: no block leaves with a previous owner's bytes.</summary>
[MemoryStrategy(MaxAllocationSize = BlockSize, ZeroOnAllocate = true)]
internal sealed unsafe partial class ZeroingPool
{
    public const int BlockSize = 256;

    private readonly FixedBlockPool _pool = new(BlockSize, 64, strict: true);

    [Allocate]
    private void* Take(nuint size) => _pool.Allocate();

    [Deallocate]
    private void Give(void* ptr) => _pool.Free(ptr);

    [Owns]
    private bool IsLive(void* ptr) => _pool.Owns(ptr);

    [Cleanup]
    private void Release() => _pool.Dispose();
}
