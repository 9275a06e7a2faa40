using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryStrategy.Samples;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// A native allocator as the workloads see it. The implementations are structs, so each generic workload is
/// compiled once per allocator with the calls inlined: no interface dispatch is measured.
/// </summary>
internal unsafe interface INativeAllocator
{
    void* Allocate(nuint size);

    void Free(void* ptr);
}

/// <summary>glibc's malloc/free, through <see cref="NativeMemory"/>.</summary>
internal readonly unsafe struct GlibcAllocator : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => NativeMemory.Alloc(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => NativeMemory.Free(ptr);
}

/// <summary>mimalloc's mi_malloc/mi_free (see <see cref="Mimalloc"/>).</summary>
internal readonly unsafe struct MimallocAllocator : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => Mimalloc.Malloc(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => Mimalloc.Free(ptr);
}

/// <summary>The pool's engine called directly: the core, with no generated wrapper around it.</summary>
internal readonly unsafe struct PoolCoreAllocator(FixedBlockPool pool) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => pool.Allocate();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => pool.Free(ptr);
}

/// <summary>The pool through its generated wrappers, called on the concrete type (as a user holding it would).</summary>
internal readonly unsafe struct PoolStrategyAllocator(MemoryPoolStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}

/// <summary>
/// The pool through its generated <c>ForCurrentThread()</c> scope: the same wrappers, with the thread-local lookup
/// done once per benchmark invocation instead of once per call. A <c>ref struct</c>, like the scope it holds.
/// </summary>
internal readonly unsafe ref struct PoolScopeAllocator : INativeAllocator
{
    private readonly MemoryPoolStrategy.ThreadScope _scope;

    public PoolScopeAllocator(MemoryPoolStrategy.ThreadScope scope) => _scope = scope;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => _scope.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => _scope.Deallocate(ptr);
}

/// <summary>The pool with the default exception handlers (<see cref="HandledPoolStrategy"/>).</summary>
internal readonly unsafe struct HandledPoolAllocator(HandledPoolStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}

/// <summary>The generated NativeMemory pass-through with <c>TrackAllocations = true</c>.</summary>
internal readonly unsafe struct TrackedPassThroughAllocator(NativePassThroughStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}

/// <summary>The same pass-through without tracking.</summary>
internal readonly unsafe struct UntrackedPassThroughAllocator(UntrackedPassThroughStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}

/// <summary>
/// The pool through <see cref="IMemoryStrategy"/>: the interface dispatch a caller pays when it holds the interface,
/// not the concrete type (the JIT may still devirtualise a call site that only ever sees one type).
/// </summary>
internal readonly unsafe struct InterfaceAllocator(IMemoryStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => strategy.Allocate(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr) => strategy.Deallocate(ptr);
}

/// <summary>
/// The C interface's validated worker, in C#, through <see cref="IMemoryStrategy"/>: <c>ValidateStrategy</c> before
/// every allocation and <c>ValidateDeallocation</c> before every free, as the interface's thread-safe example does.
/// </summary>
internal readonly unsafe struct ValidatedWorkerAllocator(IMemoryStrategy strategy) : INativeAllocator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size) => StrategyValidator.ValidateStrategy(strategy) ? strategy.Allocate(size) : null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* ptr)
    {
        if (StrategyValidator.ValidateDeallocation(strategy, ptr))
        {
            strategy.Deallocate(ptr);
        }
    }
}
