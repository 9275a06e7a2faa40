using System;

namespace MemoryStrategy;

/// <summary>
/// Marks a <see langword="partial"/> class as a memory strategy. The MemoryStrategy source generator
/// completes the class: it implements <see cref="IMemoryStrategy"/> around the methods marked
/// <see cref="AllocateAttribute"/> and <see cref="DeallocateAttribute"/> (and the optional
/// <see cref="OwnsAttribute"/>, <see cref="ValidateAttribute"/> and <see cref="CleanupAttribute"/>),
/// adds status tracking and validation to every call, and emits a C-ABI vtable.
/// </summary>
/// <example>
/// <code>
/// [MemoryStrategy(MaxAllocationSize = 4096)]
/// public sealed unsafe partial class BumpArena
/// {
///     [Allocate]   private void* AllocateCore(nuint size) { ... }
///     [Deallocate] private void DeallocateCore(void* ptr) { ... }
///     [Owns]       private bool OwnsCore(void* ptr) => ...;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class MemoryStrategyAttribute : Attribute
{
    /// <summary>
    /// The limit used when <see cref="MaxAllocationSize"/> is 0 (or negative): 1 GiB. Every strategy has a finite
    /// limit, so a size such as <see cref="nuint.MaxValue"/> is always refused before it reaches a core method.
    /// </summary>
    public const long DefaultMaxAllocationSize = 1L << 30;

    /// <summary>
    /// The largest size, in bytes, that the generated <see cref="IMemoryStrategy.Allocate"/> passes to the
    /// core method; larger requests are refused and counted. 0 means <see cref="DefaultMaxAllocationSize"/>.
    /// A constructor can lower it for one instance with the generated <c>LimitMaxAllocationSize(nuint)</c>.
    /// </summary>
    public long MaxAllocationSize { get; set; }

    /// <summary>
    /// When <see langword="true"/>, the generated code records every live pointer in a lock-free registry, so
    /// <see cref="IMemoryStrategy.Owns"/> and <see cref="IMemoryStrategy.Deallocate"/> can refuse foreign and
    /// already-freed pointers for strategies that have no <see cref="OwnsAttribute"/> method. At
    /// <see cref="System.IDisposable.Dispose"/>, once the calls in flight are done, every block still in the registry
    /// goes back to the <see cref="DeallocateAttribute"/> core (before any <see cref="CleanupAttribute"/> method), so
    /// a block the caller never returned is not lost; calls are guarded for it as a <c>[Cleanup]</c> strategy's are.
    /// </summary>
    public bool TrackAllocations { get; set; }

    /// <summary>The name used in statistics and metrics. Defaults to the class's name.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Debug option: every block passed to the core's deallocation is first filled with
    /// <c>FreedMemoryPoison.Pattern</c>, and when the core hands the same block out again the pattern is checked: a
    /// write after free faults the strategy and the allocation throws <c>WriteAfterFreeException</c> (the block is
    /// quarantined, never handed out). For strategies whose core keeps its bookkeeping outside freed blocks (the
    /// reference pool, an arena); an allocator that writes into freed blocks (the C heap) reads as a write after free.
    /// Costs a fill per free, a check per allocation and a lookup table: not for production hot paths.
    /// </summary>
    public bool PoisonFreedMemory { get; set; }

    /// <summary>
    /// Whether an exception thrown by a core method moves the strategy to <see cref="StrategyStatus.Faulted"/> before
    /// it propagates (the default, <see langword="true"/>). The generated code then calls the core from an
    /// out-of-line method that holds an exception handler, since the JIT never inlines a method with a handler: the
    /// gate and the statistics still inline into callers, but every operation costs one call, and the core cannot
    /// inline into <see cref="IMemoryStrategy.Owns"/> or into the caller.
    /// </summary>
    /// <remarks>
    /// Set it to <see langword="false"/> only for cores that do not throw, or whose state an exception cannot corrupt
    /// (the reference pool: its fast paths cannot throw, and its slow paths allocate before they change any shared
    /// state). The handlers then disappear, the whole fast path (core included) inlines into callers that hold the
    /// concrete class, and an exception propagates with the status unchanged. The native vtable's
    /// thunks still catch (nothing may unwind into C) and fault the strategy, and <see cref="PoisonFreedMemory"/>
    /// keeps the handlers, since a detected write after free must fault.
    /// </remarks>
    public bool FaultOnCoreException { get; set; } = true;

    /// <summary>
    /// Every block is zeroed over the requested size before <see cref="IMemoryStrategy.Allocate"/> returns it, so no
    /// previous owner's data crosses a trust boundary with it.
    /// </summary>
    public bool ZeroOnAllocate { get; set; }

    /// <summary>
    /// A C identifier, such as <c>"memory_pool"</c>, that makes the generator also export C functions for a
    /// NativeAOT shared library: <c>MemoryStrategy* memory_pool_create(...)</c>, taking the arguments of the class's
    /// only constructor whose parameters are integers, sizes, floating point or <see langword="bool"/>, and
    /// <c>void memory_pool_destroy(MemoryStrategy*)</c>. <see langword="null"/> (the default) exports nothing.
    /// </summary>
    /// <remarks>
    /// The C interface's validators (<c>validate_strategy</c>, <c>validate_allocation</c>,
    /// <c>validate_deallocation</c>) are exports of the runtime: a library exports them when its project names it,
    /// <c>&lt;UnmanagedEntryPointsAssembly Include="MemoryStrategy.Runtime" /&gt;</c>. The generator writes no header:
    /// the C declarations are on the generated exports, and the C interface's header, <c>memory_strategy.h</c>, is in
    /// the package's <c>include</c> folder. See the README's "Your own strategy as a C library".
    /// </remarks>
    public string? NativeExport { get; set; }
}
