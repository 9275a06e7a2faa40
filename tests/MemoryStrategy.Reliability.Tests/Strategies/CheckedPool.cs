using MemoryStrategy.Samples;

namespace MemoryStrategy.Reliability.Tests.Strategies;

/// <summary>
/// The reference pool's engine behind both debug options. Its free lists live outside the blocks, so a freed block
/// keeps its poison until someone writes through a dangling pointer; the poison is checked before the block is zeroed.
/// </summary>
[MemoryStrategy(MaxAllocationSize = BlockSize, PoisonFreedMemory = true, ZeroOnAllocate = true)]
internal sealed unsafe partial class CheckedPool
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
