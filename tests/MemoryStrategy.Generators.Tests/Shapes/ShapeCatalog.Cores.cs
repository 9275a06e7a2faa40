namespace MemoryStrategy.Generators.Tests.Shapes;

// The core signatures beyond the plain ones: cores that take the calling thread's `StrategyThread`, and a
// `bool` `[Deallocate]` that decides ownership itself, alone, with TrackAllocations and with poisoning.
public static partial class ShapeCatalog
{
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

    public static readonly Shape SplitCoresWithoutFaultHandlers = new(nameof(SplitCoresWithoutFaultHandlers), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Splitting;

        /// <summary>
        /// Both cores split into a fast and a slow half, without fault handlers and with a cleanup (so calls are
        /// guarded): the slow halves run out of line with the statistics and the end of the call. The slow free is
        /// void: it always takes the block.
        /// </summary>
        [MemoryStrategy(MaxAllocationSize = 128, FaultOnCoreException = false)]
        public sealed unsafe partial class SplitHeap
        {
            [Allocate]
            private void* TryAllocateFast(nuint size, StrategyThread thread) => thread.State is null ? null : NativeMemory.Alloc(size);

            [AllocateSlow]
            private void* AllocateSlowly(nuint size, StrategyThread thread)
            {
                thread.State = new object();
                return NativeMemory.Alloc(size);
            }

            [Deallocate]
            private bool TryFreeFast(void* ptr) => false;

            [DeallocateSlow]
            private void FreeSlowly(void* ptr, StrategyThread thread) => NativeMemory.Free(ptr);

            [Owns]
            private bool OwnsCore(void* ptr) => ptr is not null;

            [Cleanup]
            private void CleanupCore()
            {
            }
        }
        """, "Samples.Splitting.SplitHeap.g.cs");

    public static readonly Shape SplitCoresWithFaultHandlers = new(nameof(SplitCoresWithFaultHandlers), """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        namespace Samples.Splitting;

        /// <summary>
        /// Split cores under the default fault handlers: the slow halves are called in line, right after the fast
        /// ones. The slow free decides ownership (bool).
        /// </summary>
        [MemoryStrategy(MaxAllocationSize = 128)]
        public sealed unsafe partial class GuardedSplitHeap
        {
            [Allocate]
            private void* TryAllocateFast(nuint size) => null;

            [AllocateSlow]
            private void* AllocateSlowly(nuint size) => NativeMemory.Alloc(size);

            [Deallocate]
            private bool TryFreeFast(void* ptr, StrategyThread thread) => false;

            [DeallocateSlow]
            private bool FreeSlowly(void* ptr)
            {
                NativeMemory.Free(ptr);
                return true;
            }
        }
        """, "Samples.Splitting.GuardedSplitHeap.g.cs");

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
}
