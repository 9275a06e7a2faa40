namespace MemoryStrategy.Generators.Tests.Shapes;

// The `[MemoryStrategy]` options: TrackAllocations, Name and MaxAllocationSize, NativeExport, the debug options,
// FaultOnCoreException = false.
public static partial class ShapeCatalog
{
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

    public static readonly Shape GuardedWithoutFaultHandlers = new(nameof(GuardedWithoutFaultHandlers), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Fast;

        /// <summary>
        /// FaultOnCoreException = false with a [Cleanup]: every call is guarded, and the body leaves the call on each way
        /// out (the failed allocation, the statistics, the refusal of a pointer [Owns] does not own).
        /// </summary>
        [MemoryStrategy(FaultOnCoreException = false)]
        public sealed unsafe partial class GuardedHeap
        {
            [Allocate]
            private void* AllocateCore(nuint size, StrategyThread thread) => NativeMemory.Alloc(size);

            [Deallocate]
            private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);

            [Owns]
            private bool OwnsCore(void* ptr) => ptr is not null;

            [Cleanup]
            private void CleanupCore()
            {
            }
        }
        """, "Samples.Fast.GuardedHeap.g.cs");
}
