using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using MemoryStrategy.Samples;

// A frozen copy of the reference pool before blocks could be taken from other threads' caches and before the
// in-call guard: the point of comparison for the fast-path figures in docs/benchmarks.md (same process, same run).
namespace MemoryStrategy.Benchmarks.Previous;

/// <summary>
/// One thread's stack of free block indices for one pool. Only the thread in <see cref="Owner"/> touches
/// <see cref="Items"/> and <see cref="Count"/>, so the common allocate/free pair needs no atomic instruction and
/// writes no cache line another thread writes.
/// </summary>
/// <remarks>
/// Ownership changes hands only by a compare-and-swap on <see cref="Owner"/>, and only away from a thread that
/// has exited (its cache is adopted, or emptied and left vacant). The hot fields sit at offsets 64..87 of a
/// 192-byte object, so two threads' caches never share a cache line even when the GC places them side by side.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal sealed unsafe class PreviousThreadCache
{
    /// <summary>The thread that uses this cache; <see langword="null"/> while vacant. Read by other threads, changed by CAS.</summary>
    [FieldOffset(0)] public Thread? Owner;

    /// <summary>
    /// Identifies the pool whose blocks this cache holds: the hot path's check that the thread's cache is for this
    /// pool. A key object rather than the pool, so a cache a thread still remembers (in its
    /// <see cref="StrategyThread.State"/>) keeps neither the pool nor its strategy's tracker alive.
    /// </summary>
    [FieldOffset(64)] public readonly object PoolKey;

    /// <summary>The stack of free block indices, in native memory: no bounds checks, no GC header next to it.</summary>
    [FieldOffset(72)] public int* Items;

    /// <summary>How many indices <see cref="Items"/> holds; the top is <c>Items[Count - 1]</c>.</summary>
    [FieldOffset(80)] public int Count;

    /// <summary>The most indices <see cref="Items"/> can hold.</summary>
    [FieldOffset(84)] public readonly int Capacity;

    public PreviousThreadCache(object poolKey, Thread owner, int capacity)
    {
        PoolKey = poolKey;
        Owner = owner;
        Capacity = capacity;
        Items = (int*)NativeMemory.AlignedAlloc((nuint)capacity * sizeof(int), 64);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Pop() => Items[--Count];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int index) => Items[Count++] = index;

    /// <summary>
    /// Frees the stack; called once, by the pool's Dispose. A thread whose thread-static still points here then
    /// sees an empty cache and falls to the pool's slow path, which refuses.
    /// </summary>
    public void Release()
    {
        Count = 0;
        NativeMemory.AlignedFree(Items);
        Items = null;
    }
}
