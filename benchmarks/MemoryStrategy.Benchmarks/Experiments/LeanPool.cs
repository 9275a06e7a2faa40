using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Benchmarks.Experiments;

/// <summary>
/// The reference pool's fast path written by hand with every check the generated pool keeps, and nothing general:
/// a status word read on every call (Ready/Degraded serve, Faulted still frees), the size limit, an in-call mark
/// around each call (what lets Dispose wait for calls in flight), the steal lock an owner must read, a per-block
/// state byte (double, foreign, interior and misaligned frees refused), and the statistics (allocations, bytes,
/// live high-water mark, frees). Its per-thread object is found with one thread-local read and one key compare, and
/// it holds the cache inline. Slow paths are stubs: the workload never reaches them once the cache is warm.
/// </summary>
/// <remarks>
/// An experiment, not a strategy: one instance per process and thread, and the block index stack is seeded with
/// 32 blocks. It measures what the checks themselves cost, so the distance between it and the generated pool is the
/// cost of the framework's generality (a tracker that any strategy shares, a table of per-strategy objects, the
/// generated wrapper's layering), and the distance between it and <see cref="ThreadLocalFreeList"/> the cost of the
/// checks.
/// </remarks>
internal sealed unsafe class LeanPool : INativeAllocatorObject
{
    private const int BlockShift = 6;
    private const int Capacity = 64;

    [ThreadStatic]
    private static PerThread? t_last;

    private readonly object _key = new();
    private readonly int* _status;
    private readonly nuint _maxSize = 1 << BlockShift;
    private readonly byte* _slab;
    private readonly byte* _states;
    private readonly int _blockCount;

    public LeanPool(int blockCount)
    {
        _blockCount = blockCount;
        _slab = (byte*)NativeMemory.AlignedAlloc((nuint)blockCount << BlockShift, 64);
        _states = (byte*)NativeMemory.AllocZeroed((nuint)blockCount);
        _status = (int*)NativeMemory.AllocZeroed(sizeof(int));
        *_status = (int)StrategyStatus.Ready;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size)
    {
        PerThread thread = Current();
        Volatile.Write(ref thread.InCall, thread.InCall + 1);
        if ((uint)Volatile.Read(ref *_status) - 1u < 2u && size - 1 < _maxSize
            && Volatile.Read(ref thread.StealLock) == 0 && thread.Count != 0)
        {
            int index = thread.Items[--thread.Count];
            _states[index] = 1;
            long allocations = thread.Allocations + 1;
            thread.Allocations = allocations;
            thread.BytesRequested += (long)size;
            long live = allocations - thread.Deallocations;
            if (live > thread.LocalPeak)
            {
                thread.LocalPeak = live;
            }

            Volatile.Write(ref thread.InCall, thread.InCall - 1);
            return _slab + ((nuint)index << BlockShift);
        }

        Volatile.Write(ref thread.InCall, thread.InCall - 1);
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* block)
    {
        PerThread thread = Current();
        Volatile.Write(ref thread.InCall, thread.InCall + 1);
        nuint offset = (nuint)block - (nuint)_slab;
        nuint index = offset >> BlockShift;
        if ((uint)Volatile.Read(ref *_status) - 1u < 3u && (offset & ((1 << BlockShift) - 1)) == 0
            && index < (nuint)_blockCount && _states[index] == 1
            && Volatile.Read(ref thread.StealLock) == 0 && thread.Count != Capacity)
        {
            _states[index] = 0;
            thread.Items[thread.Count++] = (int)index;
            thread.Deallocations++;
        }

        Volatile.Write(ref thread.InCall, thread.InCall - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PerThread Current()
    {
        PerThread? last = t_last;
        return last is not null && ReferenceEquals(last.Key, _key) ? last : CreateForThisThread();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private PerThread CreateForThisThread()
    {
        var thread = new PerThread(_key);
        for (int i = 0; i < 32; i++)
        {
            thread.Items[thread.Count++] = i;
        }

        t_last = thread;
        return thread;
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private sealed class PerThread(object key)
    {
        [FieldOffset(0)] public readonly object Key = key;
        [FieldOffset(8)] public readonly int* Items = (int*)NativeMemory.Alloc(Capacity * sizeof(int));
        [FieldOffset(16)] public int Count;
        [FieldOffset(20)] public int InCall;
        [FieldOffset(24)] public int StealLock;
        [FieldOffset(64)] public long Allocations;
        [FieldOffset(72)] public long Deallocations;
        [FieldOffset(80)] public long BytesRequested;
        [FieldOffset(88)] public long LocalPeak;
    }
}

/// <summary>An allocator object behind an interface: the dispatch a caller holding <c>IMemoryStrategy</c> pays.</summary>
internal unsafe interface INativeAllocatorObject
{
    void* Allocate(nuint size);

    void Free(void* ptr);
}

/// <summary><see cref="LeanPool"/> through <see cref="INativeAllocatorObject"/>, as <c>InterfaceAllocator</c> calls the pool.</summary>
internal readonly unsafe struct LeanPoolInterfaceAllocator(INativeAllocatorObject pool) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => pool.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => pool.Free(ptr);
}

/// <summary><see cref="LeanPool"/> as a workload allocator.</summary>
internal readonly unsafe struct LeanPoolAllocator(LeanPool pool) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => pool.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => pool.Free(ptr);
}
