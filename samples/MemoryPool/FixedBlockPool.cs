using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// The reference pool's algorithm: fixed-size blocks carved from one native slab, handed out and taken back
/// lock-free by any number of threads.
/// </summary>
/// <remarks>
/// <para>
/// Three tiers, fastest first. (1) Each thread keeps a small stack of free blocks (<see cref="PoolThread"/>): the
/// common allocate/free pair is a pop and a push there, with no atomic instruction. (2) Threads exchange whole
/// batches of free blocks through one lock-free, ABA-safe stack (<see cref="BatchStack"/>): one CAS per batch.
/// (3) Blocks never handed out yet are taken from the top of the slab, a batch at a time, by a CAS on a counter,
/// so a large pool costs no time (and, on Linux, no resident memory) until it is used.
/// </para>
/// <para>
/// Ownership is O(1): a pointer maps to a block index by arithmetic (<see cref="BlockIndexer"/>: range, alignment
/// and index at once), and a per-block state byte says whether the block is allocated. A second free of a block,
/// a foreign pointer and an interior pointer are all refused. In strict mode the state is flipped by a CAS, so of
/// two frees of one block racing each other exactly one succeeds; otherwise (one plain read and store, no
/// atomic) a double free is refused whenever it does not overlap the first free in time.
/// </para>
/// <para>
/// No block is stranded in a cache. An allocation that finds its cache, the shared stack and the fresh blocks all
/// empty takes the blocks parked in another thread's cache — a live, idle thread's as well as an exited one's —
/// before it reports exhaustion (<see cref="PoolThread"/> shows how the owner and the thief stay apart at the cost of
/// one read per call to the owner: the call's in-call mark, which every entry stores anyway, is its flag). So no
/// number of threads holding caches makes a pool with fewer blocks live than its capacity run dry for good. Nor do
/// blocks on their way between tiers (a batch between the shared stack and a cache, a steal between two caches): an
/// allocation that found nothing looks again while any block moved during its search or another thief held a cache
/// with blocks in it (or its owner was inside a call), and reports exhaustion only after a search during which nothing
/// moved (or, under churn that never settles, after 1,000 searches, about a second). A thread that exits
/// leaves its cache behind; the next thread that needs a cache adopts it, blocks included.
/// </para>
/// <para>
/// Every method may be called concurrently except <see cref="Dispose"/>, which must not overlap any other call
/// (as with every native allocator: the memory is gone afterwards). Calls after it are safe and refused. The generated
/// <see cref="MemoryPoolStrategy"/> keeps that rule for its users: its <c>Dispose</c> waits for the calls in flight.
/// </para>
/// </remarks>
internal sealed unsafe partial class FixedBlockPool : IDisposable
{
    private const int MaxBatchSize = 64;

    /// <summary>
    /// Creates each thread's cache: every <see cref="StrategyThread"/> of this tracker is a <see cref="PoolThread"/>
    /// (see <see cref="StatusTracker.SetThreadFactory"/>). The generated wrappers look that object up for their
    /// statistics and pass it to the core, so an allocation costs one thread-local lookup, and the cache is in the
    /// object found.
    /// </summary>
    private readonly StatusTracker _tracker;

    private readonly byte* _slab;

    /// <summary>Whether <see cref="_slab"/> was allocated here (and is freed here) rather than lent by the caller.</summary>
    private readonly bool _ownsSlab;
    private readonly BlockLink* _links;
    private readonly BatchStack _shared;
    private readonly int _blockCount;
    private readonly int _batchSize;

    /// <summary>
    /// The state bytes, the block mapping and strict mode, with the fast paths over them. Replaced by
    /// <see langword="default"/> on Dispose, whose mapping makes every later ownership test fail.
    /// </summary>
    private PoolFastPath _fast;

    /// <summary>How many blocks, from index 0 up, have ever been handed to a cache. Only grows; CAS'd in the slow path.</summary>
    private PaddedLong _fresh;

    /// <summary>
    /// Blocks moving between tiers (see <c>BeginMove</c> in FixedBlockPool.Refill.cs): the low 32 bits count the moves
    /// in progress, the high 32 bits the moves ended (wrapping). An allocation that finds nothing reports exhaustion
    /// only if this word read the same before and after its search, with no move in progress.
    /// </summary>
    private PaddedLong _moves;

    /// <summary>Every cache ever created for this pool (copy-on-write, published by CAS): where a thief looks.</summary>
    private PoolThread[] _caches = [];

    private int _disposed;

    /// <summary>Creates a pool of <paramref name="blockCount"/> blocks of <paramref name="blockSize"/> bytes.</summary>
    /// <param name="blockSize">The size of each block: the largest allocation the pool serves.</param>
    /// <param name="blockCount">How many blocks the pool holds; at most <see cref="int.MaxValue"/> - 1.</param>
    /// <param name="alignment">The alignment of every block: a power of two.</param>
    /// <param name="strict">Whether a free costs one atomic so that two racing frees of one block never both succeed.</param>
    /// <param name="batchSize">
    /// Blocks moved between a thread cache and the shared stack at a time (each cache holds up to twice this);
    /// 0 picks one from the pool's size and the processor count, at most 64.
    /// </param>
    public FixedBlockPool(nuint blockSize, int blockCount, nuint alignment = 16, bool strict = false, int batchSize = 0)
        : this(new StatusTracker(nameof(FixedBlockPool)), blockSize, blockCount, alignment, strict, batchSize)
    {
    }

    /// <summary>
    /// Creates a pool that keeps its per-thread caches in <paramref name="tracker"/>'s per-thread slot: the tracker
    /// of the strategy that owns the pool, so the strategy's statistics and the pool's cache share one thread-local
    /// lookup. The tracker must serve this pool alone, and must not have been used yet: the pool gives it the factory
    /// of its <see cref="PoolThread"/> objects.
    /// </summary>
    /// <param name="tracker">The owning strategy's tracker.</param>
    /// <param name="blockSize">The size of each block: the largest allocation the pool serves.</param>
    /// <param name="blockCount">How many blocks the pool holds; at most <see cref="int.MaxValue"/> - 1.</param>
    /// <param name="alignment">The alignment of every block: a power of two.</param>
    /// <param name="strict">Whether a free costs one atomic so that two racing frees of one block never both succeed.</param>
    /// <param name="batchSize">Blocks moved between a thread cache and the shared stack at a time; 0 picks one.</param>
    /// <param name="slab">
    /// Memory for the blocks, lent by the caller: at least <see cref="SlabBytes"/> bytes, aligned to
    /// <c>max(alignment, 64)</c>, valid until this pool is disposed, and never freed by it. Null: the pool allocates
    /// its own. A composite strategy lends each pool a slice of one reservation so that a pointer's owner is found
    /// by arithmetic.
    /// </param>
    public FixedBlockPool(StatusTracker tracker, nuint blockSize, int blockCount, nuint alignment = 16, bool strict = false, int batchSize = 0, byte* slab = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentOutOfRangeException.ThrowIfZero(blockSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockCount);
        ArgumentOutOfRangeException.ThrowIfEqual(blockCount, int.MaxValue);
        ThrowIfNotPowerOfTwo(alignment);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);

        _tracker = tracker;
        BlockSize = blockSize;
        Alignment = alignment;
        nuint slabBytes = CheckedSlabBytes(blockSize, blockCount, alignment);
        nuint stride = StrideOf(blockSize, alignment);
        _blockCount = blockCount;
        _batchSize = batchSize != 0 ? batchSize : ChooseBatchSize(blockCount);

        // Cache-line aligned at least, so blocks whose stride is a multiple of 64 never straddle two lines.
        if (slab is not null && ((nuint)slab & (Math.Max(alignment, 64) - 1)) != 0)
        {
            throw new ArgumentException("A lent slab must be aligned to max(alignment, 64).", nameof(slab));
        }

        _ownsSlab = slab is null;
        _slab = slab is not null ? slab : (byte*)NativeMemory.AlignedAlloc(slabBytes, Math.Max(alignment, 64));
        byte* states = (byte*)NativeMemory.AlignedAlloc((nuint)blockCount, 64);
        NativeMemory.Clear(states, (nuint)blockCount);
        _fast = new PoolFastPath(states, new BlockIndexer(_slab, stride, blockCount), strict);
        _links = (BlockLink*)NativeMemory.AlignedAlloc((nuint)blockCount * (nuint)sizeof(BlockLink), 64);
        _shared = new BatchStack(_links);

        // Last: the factory reads the fields above. It throws for a tracker already used or already given a factory
        // (another pool's), before any thread could use this pool's caches.
        tracker.SetThreadFactory(CreateThreadCache);
    }

    /// <summary>The size of each block: the largest allocation the pool serves.</summary>
    public nuint BlockSize { get; }

    /// <summary>The bytes of slab a pool of <paramref name="blockCount"/> blocks of <paramref name="blockSize"/> bytes needs.</summary>
    /// <param name="blockSize">The size of each block.</param>
    /// <param name="blockCount">How many blocks, not negative.</param>
    /// <param name="alignment">The alignment of every block, a power of two.</param>
    /// <returns>The block stride (the block size rounded up to the alignment) times the count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="blockCount"/> is negative, <paramref name="alignment"/> is not a power of two, or the slab is
    /// larger than the address space.
    /// </exception>
    public static nuint SlabBytes(nuint blockSize, int blockCount, nuint alignment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blockCount);
        ThrowIfNotPowerOfTwo(alignment);
        return CheckedSlabBytes(blockSize, blockCount, alignment);
    }

    /// <summary><see cref="SlabBytes"/> for checked arguments: an <see cref="ArgumentOutOfRangeException"/> where the bytes do not fit a <c>nuint</c>.</summary>
    private static nuint CheckedSlabBytes(nuint blockSize, int blockCount, nuint alignment)
    {
        // Named after the larger of the two: the one that made the stride (and so the slab) too large.
        string culprit = alignment > blockSize ? nameof(alignment) : nameof(blockSize);
        if (blockSize > nuint.MaxValue - (alignment - 1))
        {
            throw new ArgumentOutOfRangeException(culprit, $"A block of {blockSize} bytes aligned to {alignment} does not fit in the address space.");
        }

        nuint stride = StrideOf(blockSize, alignment);
        if (blockCount != 0 && stride > nuint.MaxValue / (nuint)blockCount)
        {
            throw new ArgumentOutOfRangeException(
                culprit, $"{blockCount} blocks of {blockSize} bytes aligned to {alignment} (a stride of {stride} bytes) do not fit in the address space.");
        }

        return stride * (nuint)blockCount;
    }

    private static void ThrowIfNotPowerOfTwo(nuint alignment)
    {
        if (alignment == 0 || !BitOperations.IsPow2(alignment))
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "The alignment must be a power of two.");
        }
    }

    private static nuint StrideOf(nuint blockSize, nuint alignment) => (blockSize + alignment - 1) & ~(alignment - 1);

    /// <summary>How many blocks the pool holds.</summary>
    public int BlockCount => _blockCount;

    /// <summary>The alignment of every block.</summary>
    public nuint Alignment { get; }

    /// <summary>Whether two racing frees of one block are resolved by a CAS (see the type's remarks).</summary>
    public bool IsStrict => _fast.IsStrict;

    /// <summary>Blocks moved between a thread cache and the shared stack at a time.</summary>
    public int BatchSize => _batchSize;

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The blocks still allocated when <see cref="Dispose"/> ran (0 before).</summary>
    public int LeakedBlocks { get; private set; }

    /// <summary>How many thread caches exist: at most the number of threads that used the pool at once (an exited thread's is taken over).</summary>
    public int ThreadCacheCount => Volatile.Read(ref _caches).Length;

    /// <summary>Hands out a free block, or returns <see langword="null"/> when the pool is exhausted or disposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate() => Allocate(_tracker.CurrentThread);

    /// <summary>
    /// <see cref="Allocate()"/> for a caller that already holds the calling thread's <see cref="StrategyThread"/> of
    /// this pool's tracker (the generated wrappers do): no thread-local lookup at all.
    /// </summary>
    /// <param name="thread">
    /// The calling thread's <see cref="StrategyThread"/>, from this pool's tracker, so a <see cref="PoolThread"/> (the
    /// factory this pool gave its tracker makes every one). Not checked: see <see cref="PoolFastPath.CacheOf"/>.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(StrategyThread thread)
    {
        // Marked in a call on the thread's object, as the generated wrapper marks the strategy's: the mark is the owner's
        // flag of the cache's handshake (see PoolThread).
        thread.EnterCall();
        void* block = _fast.TryAllocate(thread);
        if (block is null)
        {
            block = AllocateSlow(thread);
        }

        thread.ExitCall();
        return block;
    }

    /// <summary>
    /// Takes a block back. Returns <see langword="false"/>, changing nothing, for a pointer that is not the start
    /// of an allocated block of this pool: null, foreign, interior, misaligned or already freed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Free(void* ptr) => Free(ptr, _tracker.CurrentThread);

    /// <summary><see cref="Free(void*)"/> for a caller that already holds the calling thread's <see cref="StrategyThread"/>.</summary>
    /// <param name="ptr">The block to take back.</param>
    /// <param name="thread">The calling thread's <see cref="StrategyThread"/>, from this pool's tracker (not checked: see <see cref="PoolFastPath.CacheOf"/>).</param>
    /// <returns>Whether the block was taken back (see <see cref="Free(void*)"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Free(void* ptr, StrategyThread thread)
    {
        if (!_fast.TryMarkFree(ptr, out int index))
        {
            return false;
        }

        // Marked as in Allocate.
        thread.EnterCall();
        if (!PoolFastPath.TryCache(thread, index))
        {
            FreeSlow(index, thread);
        }

        thread.ExitCall();
        return true;
    }

    /// <summary>
    /// The state bytes, the block mapping and strict mode, with the fast paths over them, for a holder that keeps a
    /// copy (<see cref="MemoryPoolStrategy"/>); valid until <see cref="Dispose"/>.
    /// </summary>
    public PoolFastPath FastPath => _fast;

    /// <summary>
    /// <see cref="Owns"/> as native memory, for the C <c>validate_deallocation</c>: the indexer's mapping and the state
    /// bytes, which stay readable until <see cref="Dispose"/>.
    /// </summary>
    public NativeBlockOwnership DescribeBlocks() => _fast.DescribeBlocks();

    /// <summary>
    /// The thread caches as C sees them, for the C allocate and deallocate (<see cref="NativeBlockCache"/>): the
    /// <see cref="PoolThread"/> layout and the block stride; requests up to the block size.
    /// </summary>
    public NativeBlockCache DescribeCache() =>
        PoolThread.DescribeCache(_fast.Indexer.Stride, BlockSize, _fast.IsStrict, PoolFastPath.StateFree);

    /// <summary>Whether <paramref name="ptr"/> is the start of a block of this pool that is allocated now. O(1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Owns(void* ptr) => _fast.Owns(ptr);

    /// <summary>
    /// Each cache holds up to twice the batch size. Keeping that to an eighth of the pool per processor means
    /// blocks parked in caches strand little of a small pool, while a large pool gets the full batch.
    /// </summary>
    private static int ChooseBatchSize(int blockCount) =>
        Math.Clamp(blockCount / (8 * Environment.ProcessorCount), 1, MaxBatchSize);
}
