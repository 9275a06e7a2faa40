using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Benchmarks.Experiments;

/// <summary>
/// The least a per-thread allocator can do on CoreCLR: a free list of 64-byte blocks in a <c>[ThreadStatic]</c>
/// object, one thread-local read per call and nothing else (no status, no statistics, no ownership check, no
/// handshake). It bounds what the runtime's thread-local access costs an allocator: whatever a pool spends above it is
/// the pool's own design, not the platform's.
/// </summary>
internal static unsafe class ThreadLocalFreeList
{
    private const int Capacity = 1024;

    [ThreadStatic]
    private static Stack? t_stack;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void* Allocate()
    {
        Stack? stack = t_stack;
        if (stack is not null && stack.Count != 0)
        {
            return stack.Items[--stack.Count];
        }

        return AllocateSlow();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Free(void* block)
    {
        Stack? stack = t_stack;
        if (stack is not null && stack.Count != Capacity)
        {
            stack.Items[stack.Count++] = block;
            return;
        }

        NativeMemory.Free(block);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void* AllocateSlow()
    {
        t_stack ??= new Stack();
        return NativeMemory.Alloc(64);
    }

    private sealed class Stack
    {
        // Never freed: one per thread that runs the experiment, for the life of the process.
        public readonly void** Items = (void**)NativeMemory.Alloc(Capacity * (nuint)sizeof(void*));
        public int Count;
    }
}

/// <summary><see cref="ThreadLocalFreeList"/> as a workload allocator.</summary>
internal readonly unsafe struct ThreadLocalFreeListAllocator : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => ThreadLocalFreeList.Allocate();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => ThreadLocalFreeList.Free(ptr);
}
