using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// The pool's fast paths (an allocation the calling thread's cache serves, a free it takes) and the values they read:
/// the blocks' state bytes, the block mapping and strict mode. A value, so that a holder keeps a copy in its own fields
/// and the common call reads no pool object: <see cref="MemoryPoolStrategy"/> does, and <see cref="FixedBlockPool"/>
/// keeps the one it resets on <c>Dispose</c>.
/// </summary>
/// <remarks>
/// <para>
/// Why a copy: the generated wrapper inlines the core into the caller's loop, and reaching these values through the
/// pool object cost every call a dependent load and a null check of the pool. With them in the strategy's own fields
/// the reference pool measured 1.28-1.36x -> 1.22x mimalloc a pair, 1.38-1.42x -> 1.32-1.33x through
/// <see cref="IMemoryStrategy"/>, 2.08-2.11x -> 2.02-2.03x as the validated worker (round-robin, three alternating runs,
/// 2026-12-07; see docs/benchmarks.md). The allocation returns its block, null when the slow path must serve (a
/// form with a <see langword="bool"/> and an <c>out</c> parameter measured the same, within the runs' spread).
/// </para>
/// <para>
/// Every value is fixed when the pool is made; the state bytes they point at are the pool's and live until its
/// <c>Dispose</c>, so a copy may be used only while the pool is not disposed (the generated code's guarantee: no core
/// runs after the strategy's cleanup begins).
/// </para>
/// </remarks>
internal readonly unsafe struct PoolFastPath
{
    /// <summary>A block's state byte when it is free (in a cache, the shared stack or never handed out).</summary>
    public const byte StateFree = 0;

    /// <summary>A block's state byte when it is allocated.</summary>
    public const byte StateAllocated = 1;

    // The mapping first: at the struct's own address, so the fast paths reach its fields and the others from one base.
    private readonly BlockIndexer _indexer;
    private readonly byte* _states;
    private readonly bool _strict;

    /// <summary>The fast paths over <paramref name="states"/> (one byte a block, all free) and <paramref name="indexer"/>'s blocks.</summary>
    public PoolFastPath(byte* states, BlockIndexer indexer, bool strict)
    {
        _states = states;
        _indexer = indexer;
        _strict = strict;
    }

    /// <summary>One state byte a block, <see cref="StateFree"/> or <see cref="StateAllocated"/>.</summary>
    public byte* States => _states;

    /// <summary>The block mapping (a <see langword="default"/> one maps no pointer to a block).</summary>
    public BlockIndexer Indexer => _indexer;

    /// <summary>Whether a free flips the state byte by compare-exchange (see <see cref="TryMarkFree"/>).</summary>
    public bool IsStrict => _strict;

    /// <summary>
    /// The calling thread's cache: the object the generated wrapper found, whose type the tracker's factory fixed,
    /// without the type check (<see cref="FixedBlockPool"/>'s <c>CacheOfCurrentThread</c> keeps it on the slow paths).
    /// Sound because every object that reaches the pool is one of its tracker's, and the tracker's factory, which the
    /// pool set in its constructor before any object existed (<see cref="StatusTracker.SetThreadFactory"/> refuses a
    /// tracker already used or given one), makes every one a <see cref="PoolThread"/>. The generated wrapper guarantees
    /// the first half on every path: its lookup returns the tracker's own objects, a scope holds what the lookup
    /// returned, and the nested entry points check the object a holder passes (<c>StatusTrackerHandle.CheckThread</c>).
    /// The check it replaces cost the reference pool 0.07-0.09x mimalloc a pair, more than its two instructions suggest
    /// (round-robin, 2026-12-06; see docs/benchmarks.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PoolThread CacheOf(StrategyThread thread)
    {
        Debug.Assert(thread is PoolThread, "a StrategyThread of another tracker reached the pool");
        return Unsafe.As<PoolThread>(thread);
    }

    /// <summary>
    /// A block from the calling thread's cache, marked allocated; <see langword="null"/> (nothing changed) when the
    /// cache is empty or a thief holds it: the pool's slow path serves then. Only inside a call marked on
    /// <paramref name="thread"/> (<see cref="StrategyThread.EnterCall"/>): the mark is the cache's owner flag (see
    /// <see cref="PoolThread"/>).
    /// </summary>
    /// <param name="thread">The calling thread's object of the pool's tracker (not checked: see <see cref="CacheOf"/>).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* TryAllocate(StrategyThread thread)
    {
        // Once TryEnter saw no thief, none touches the stack until this call ends (see PoolThread's remarks): the
        // call's ExitCall is the exit, so there is nothing to leave here.
        PoolThread cache = CacheOf(thread);
        if (cache.TryEnter() && cache.Count != 0)
        {
            return HandOut(cache.Pop());
        }

        return null;
    }

    /// <summary>Block <paramref name="index"/>, taken from a cache by the caller, marked allocated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* HandOut(int index)
    {
        // A plain store: the block came from this thread's own cache, so no correct caller can be freeing it
        // now. A thread that is later given the pointer receives this store with it, through whatever
        // synchronisation hands the pointer over.
        _states[index] = StateAllocated;
        return _indexer.BlockAt(index);
    }

    /// <summary>
    /// The ownership test and the state's change of a free: false, changing nothing, for a pointer that is not the
    /// start of an allocated block (null, foreign, interior, misaligned or already freed); otherwise the block is
    /// marked free and <paramref name="index"/> is its index, which the caller must then put in a cache
    /// (<see cref="TryCache"/>, or the pool's slow path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryMarkFree(void* ptr, out int index)
    {
        if (!_indexer.TryGetIndex(ptr, out index))
        {
            return false;
        }

        ref byte state = ref _states[index];
        if (_strict)
        {
            // One atomic per free: of two frees racing on this block exactly one reads Allocated and wins, so the
            // block enters a free list once. A full fence; nothing else needs ordering here.
            return Interlocked.CompareExchange(ref state, StateFree, StateAllocated) == StateAllocated;
        }

        // Relaxed: a free that does not overlap the first one reads Free and is refused. Two frees racing in
        // this window can both pass; that is the price of not paying an atomic per free (use strict mode).
        if (state != StateAllocated)
        {
            return false;
        }

        state = StateFree;
        return true;
    }

    /// <summary>
    /// Puts block <paramref name="index"/> (marked free by <see cref="TryMarkFree"/>) on the calling thread's cache.
    /// False (nothing changed) when the cache is full or a thief holds it: the pool's slow path takes the block then.
    /// Only inside a call marked on <paramref name="thread"/>, as <see cref="TryAllocate"/>.
    /// </summary>
    /// <param name="thread">The calling thread's object of the pool's tracker (not checked: see <see cref="CacheOf"/>).</param>
    /// <param name="index">The block freed.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryCache(StrategyThread thread, int index)
    {
        PoolThread cache = CacheOf(thread);
        if (cache.TryEnter() && cache.Count != cache.Capacity)
        {
            cache.Push(index);
            return true;
        }

        return false;
    }

    /// <summary>Whether <paramref name="ptr"/> is the start of a block that is allocated now. O(1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Owns(void* ptr) =>
        // Volatile.Read: a racing reader sees either state, never a torn one; a free that completed before this
        // call (in any thread whose writes we have observed) is seen.
        _indexer.TryGetIndex(ptr, out int index) && Volatile.Read(ref _states[index]) == StateAllocated;

    /// <summary>The same test as native memory, for the C <c>validate_deallocation</c> (<see cref="NativeBlockOwnership"/>).</summary>
    public NativeBlockOwnership DescribeBlocks() => _indexer.Describe(_states, StateAllocated);
}
