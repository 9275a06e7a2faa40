namespace MemoryStrategy.Generators.Tests.Shapes;

/// <summary>
/// The strategy shapes the generator must complete: every namespace style, nesting, accessibility, each optional
/// marker with and without, TrackAllocations, custom Name and MaxAllocationSize. Each source is clean on its own
/// (documented public members), so any diagnostic after generation comes from the generated code.
/// </summary>
public static class ShapeCatalog
{
    public static readonly Shape GlobalNamespace = new(nameof(GlobalNamespace), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        /// <summary>Passes every request to the C heap; no optional marker.</summary>
        [MemoryStrategy]
        public sealed unsafe partial class GlobalHeap
        {
            [Allocate]
            private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
        }
        """, "GlobalHeap.g.cs");

    public static readonly Shape FileScopedNamespace = new(nameof(FileScopedNamespace), """
        using System.Runtime.InteropServices;
        using System.Threading;
        using MemoryStrategy;

        namespace Samples.Arenas;

        /// <summary>The README's bump arena: every optional marker, a 4 KiB limit.</summary>
        [MemoryStrategy(MaxAllocationSize = 4096)]
        public sealed unsafe partial class BumpArena
        {
            private readonly byte* _start;
            private readonly long _capacity;
            private long _offset;

            /// <summary>Reserves the arena.</summary>
            /// <param name="capacity">Its size in bytes.</param>
            public BumpArena(nint capacity)
            {
                _start = (byte*)NativeMemory.AlignedAlloc((nuint)capacity, 16);
                _capacity = capacity;
            }

            [Allocate]
            private void* AllocateCore(nuint size)
            {
                long aligned = ((long)size + 15) & ~15L;
                long end = Interlocked.Add(ref _offset, aligned);
                return end <= _capacity ? _start + end - aligned : null;
            }

            [Deallocate]
            private void DeallocateCore(void* ptr)
            {
                // Blocks are released all at once by the cleanup.
            }

            [Owns]
            private bool OwnsCore(void* ptr) => ptr >= _start && ptr < _start + Volatile.Read(ref _offset);

            [Validate]
            private bool ValidateCore() => _start != null && Volatile.Read(ref _offset) >= 0;

            [Cleanup]
            private void CleanupCore() => NativeMemory.AlignedFree(_start);
        }
        """, "Samples.Arenas.BumpArena.g.cs");

    public static readonly Shape BlockNamespaceInternalWithOwns = new(nameof(BlockNamespaceInternalWithOwns), """
        namespace Samples.Blocks
        {
            using System.Collections.Concurrent;
            using System.Runtime.InteropServices;
            using MemoryStrategy;

            [MemoryStrategy(MaxAllocationSize = 64)]
            internal unsafe partial class SmallBlocks
            {
                private readonly ConcurrentDictionary<nint, bool> _live = new();

                [Allocate]
                private void* AllocateCore(nuint size)
                {
                    void* block = NativeMemory.Alloc(64);
                    _live[(nint)block] = true;
                    return block;
                }

                [Deallocate]
                private void DeallocateCore(void* ptr)
                {
                    _live.TryRemove((nint)ptr, out _);
                    NativeMemory.Free(ptr);
                }

                [Owns]
                private bool OwnsCore(void* ptr) => _live.ContainsKey((nint)ptr);
            }
        }
        """, "Samples.Blocks.SmallBlocks.g.cs");

    public static readonly Shape NestedInPartialTypes = new(nameof(NestedInPartialTypes), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Nested;

        /// <summary>A static container.</summary>
        public static partial class Outer
        {
            /// <summary>A record container.</summary>
            public partial record Middle
            {
                /// <summary>A struct container.</summary>
                public partial struct Holder
                {
                    [MemoryStrategy(Name = "nested")]
                    internal sealed unsafe partial class Inner
                    {
                        [Allocate]
                        private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

                        [Deallocate]
                        private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

                        [Validate]
                        private bool ValidateCore() => true;
                    }
                }
            }
        }
        """, "Samples.Nested.Outer.Middle.Holder.Inner.g.cs");

    public static readonly Shape TrackAllocations = new(nameof(TrackAllocations), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Tracking;

        /// <summary>The C heap with a live-pointer registry deciding ownership.</summary>
        [MemoryStrategy(TrackAllocations = true, MaxAllocationSize = 1 << 20)]
        public sealed unsafe partial class TrackedHeap
        {
            [Allocate]
            private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
        }
        """, "Samples.Tracking.TrackedHeap.g.cs");

    public static readonly Shape TrackAllocationsWithOwnsAndCleanup = new(nameof(TrackAllocationsWithOwnsAndCleanup), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Tracking;

        /// <summary>TrackAllocations decides ownership even when an [Owns] method exists.</summary>
        [MemoryStrategy(TrackAllocations = true)]
        public sealed unsafe partial class TrackedWithOwns
        {
            private int _cleanups;

            /// <summary>How many times the cleanup ran.</summary>
            public int Cleanups => _cleanups;

            [Allocate]
            private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

            [Owns]
            private bool OwnsCore(void* ptr) => ptr != null;

            [Cleanup]
            private void CleanupCore() => _cleanups++;
        }
        """, "Samples.Tracking.TrackedWithOwns.g.cs");

    public static readonly Shape CustomNameAndLargeLimit = new(nameof(CustomNameAndLargeLimit), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Naming;

        /// <summary>A name that needs escaping, and a limit above 32 bits.</summary>
        [MemoryStrategy(Name = "Arena \"A\"\t1", MaxAllocationSize = 1L << 40)]
        public sealed unsafe partial class NamedArena
        {
            [Allocate]
            private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
        }
        """, "Samples.Naming.NamedArena.g.cs");

    public static readonly Shape EscapedIdentifiers = new(nameof(EscapedIdentifiers), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.@namespace
        {
            /// <summary>Keywords as identifiers: the namespace and the marker methods.</summary>
            [MemoryStrategy]
            public sealed unsafe partial class Keywords
            {
                [Allocate]
                private void* @new(nuint size) => NativeMemory.Alloc(size);

                [Deallocate]
                private void @delete(void* ptr) => NativeMemory.Free(ptr);

                [Validate]
                private bool @checked() => true;
            }
        }
        """, "Samples.namespace.Keywords.g.cs");

    public static readonly Shape NotSealedCleanupOnlyDefaultLimit = new(nameof(NotSealedCleanupOnlyDefaultLimit), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Open;

        /// <summary>Not sealed, only [Cleanup], a negative limit (the default applies).</summary>
        [MemoryStrategy(MaxAllocationSize = -5)]
        public unsafe partial class Growable
        {
            /// <summary>Whether the cleanup ran.</summary>
            public bool CleanedUp { get; private set; }

            [Allocate]
            private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

            [Cleanup]
            private void CleanupCore() => CleanedUp = true;
        }
        """, "Samples.Open.Growable.g.cs");

    public static readonly Shape UnsafeMethodsOnly = new(nameof(UnsafeMethodsOnly), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Methods;

        /// <summary>The class itself is not unsafe; only its marker methods are.</summary>
        [MemoryStrategy(MaxAllocationSize = 128)]
        internal sealed partial class SafeClass
        {
            [Allocate]
            private unsafe void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private unsafe void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

            [Owns]
            private unsafe bool OwnsCore(void* ptr) => ptr != null;

            [Validate]
            private bool ValidateCore() => true;
        }
        """, "Samples.Methods.SafeClass.g.cs");

    public static readonly Shape NativeExport = new(nameof(NativeExport), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Native;

        /// <summary>Exported to C as <c>counted_heap_create</c> / <c>counted_heap_destroy</c>.</summary>
        [MemoryStrategy(TrackAllocations = true, NativeExport = "counted_heap")]
        public sealed unsafe partial class CountedHeap
        {
            /// <summary>Creates the heap.</summary>
            /// <param name="limit">Unused; shows a size argument crossing from C.</param>
            /// <param name="zero">Whether blocks are zeroed; shows a C <c>bool</c> crossing as one byte.</param>
            public CountedHeap(nuint limit, bool zero)
            {
                Zero = zero && limit > 0;
            }

            /// <summary>Creates the heap from a name: not C-callable, so the exports ignore it.</summary>
            /// <param name="name">Unused.</param>
            public CountedHeap(string name)
                : this(0, false) => _ = name;

            /// <summary>Whether blocks are zeroed.</summary>
            public bool Zero { get; }

            [Allocate]
            private void* AllocateCore(nuint size) => Zero ? NativeMemory.AllocZeroed(size) : NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
        }
        """, "Samples.Native.CountedHeap.g.cs");

    public static readonly Shape DebugOptions = new(nameof(DebugOptions), """
        using MemoryStrategy;

        namespace Samples.Debugging;

        /// <summary>A pool of sixteen 64-byte blocks with both debug options on, over the live-pointer registry.</summary>
        [MemoryStrategy(MaxAllocationSize = 64, TrackAllocations = true, PoisonFreedMemory = true, ZeroOnAllocate = true)]
        public sealed unsafe partial class CheckedPool
        {
            private readonly byte[] _blocks = System.GC.AllocateArray<byte>(16 * 64, pinned: true);
            private int _next;

            [Allocate]
            private void* AllocateCore(nuint size)
            {
                int index = System.Threading.Interlocked.Increment(ref _next) - 1;
                return index < 16 ? System.Runtime.CompilerServices.Unsafe.AsPointer(ref _blocks[index * 64]) : null;
            }

            [Deallocate]
            private void DeallocateCore(void* ptr)
            {
            }
        }
        """, "Samples.Debugging.CheckedPool.g.cs");

    public static readonly Shape ThreadAwareOwningCores = new(nameof(ThreadAwareOwningCores), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Caching;

        /// <summary>
        /// Both cores take the calling thread's StrategyThread, and [Deallocate] decides ownership itself (bool), so
        /// the generated Deallocate does not ask [Owns] first.
        /// </summary>
        [MemoryStrategy(MaxAllocationSize = 256)]
        public sealed unsafe partial class ThreadCachedHeap
        {
            [Allocate]
            private void* AllocateCore(nuint size, StrategyThread thread)
            {
                thread.State ??= new object();
                return NativeMemory.Alloc(size);
            }

            [Deallocate]
            private bool DeallocateCore(void* ptr, StrategyThread thread)
            {
                NativeMemory.Free(ptr);
                return thread.State is not null;
            }

            [Owns]
            private bool OwnsCore(void* ptr) => ptr is not null;
        }
        """, "Samples.Caching.ThreadCachedHeap.g.cs");

    public static readonly Shape TrackedOwningCore = new(nameof(TrackedOwningCore), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Tracking;

        /// <summary>
        /// TrackAllocations with a bool [Deallocate]: the registry decides ownership first, so a core that then refuses
        /// disagrees with it; the block goes back into the registry and the strategy faults.
        /// </summary>
        [MemoryStrategy(MaxAllocationSize = 512, TrackAllocations = true)]
        public sealed unsafe partial class CheckedHeap
        {
            [Allocate]
            private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private bool DeallocateCore(void* ptr)
            {
                NativeMemory.Free(ptr);
                return true;
            }
        }
        """, "Samples.Tracking.CheckedHeap.g.cs");

    public static readonly Shape OwningCoreWithPoison = new(nameof(OwningCoreWithPoison), """
        using MemoryStrategy;

        namespace Samples.Debugging;

        /// <summary>
        /// A bool [Deallocate] with PoisonFreedMemory: the block is poisoned before the core takes it back, so [Owns]
        /// is asked first even though the core decides ownership too. PoisonFreedMemory also keeps the handlers that
        /// FaultOnCoreException = false would remove: a detected write after free must fault.
        /// </summary>
        [MemoryStrategy(MaxAllocationSize = 64, PoisonFreedMemory = true, FaultOnCoreException = false)]
        public sealed unsafe partial class PoisonedSlot
        {
            private readonly byte[] _block = System.GC.AllocateArray<byte>(64, pinned: true);
            private int _taken;

            [Allocate]
            private void* AllocateCore(nuint size) =>
                System.Threading.Interlocked.Exchange(ref _taken, 1) == 0 ? System.Runtime.CompilerServices.Unsafe.AsPointer(ref _block[0]) : null;

            [Deallocate]
            private bool DeallocateCore(void* ptr) => OwnsCore(ptr) && System.Threading.Interlocked.Exchange(ref _taken, 0) == 1;

            [Owns]
            private bool OwnsCore(void* ptr) => ptr == System.Runtime.CompilerServices.Unsafe.AsPointer(ref _block[0]) && System.Threading.Volatile.Read(ref _taken) == 1;
        }
        """, "Samples.Debugging.PoisonedSlot.g.cs");

    public static readonly Shape WithoutFaultHandlers = new(nameof(WithoutFaultHandlers), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Fast;

        /// <summary>FaultOnCoreException = false: no exception handler around any core, [Owns] and [Validate] included.</summary>
        [MemoryStrategy(FaultOnCoreException = false)]
        public sealed unsafe partial class HandlerFreeHeap
        {
            [Allocate]
            private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

            [Owns]
            private bool OwnsCore(void* ptr) => ptr is not null;

            [Validate]
            private bool ValidateCore() => true;
        }
        """, "Samples.Fast.HandlerFreeHeap.g.cs");

    public static IEnumerable<Shape> All =>
    [
        GlobalNamespace,
        FileScopedNamespace,
        BlockNamespaceInternalWithOwns,
        NestedInPartialTypes,
        TrackAllocations,
        TrackAllocationsWithOwnsAndCleanup,
        CustomNameAndLargeLimit,
        EscapedIdentifiers,
        NotSealedCleanupOnlyDefaultLimit,
        UnsafeMethodsOnly,
        NativeExport,
        DebugOptions,
        ThreadAwareOwningCores,
        OwningCoreWithPoison,
        WithoutFaultHandlers,
        TrackedOwningCore,
    ];

    public static TheoryData<Shape> Cases => [.. All];
}
