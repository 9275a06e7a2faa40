using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy;

// The descriptions next to the slots for the C code linked into the NativeAOT library (native/memory_strategy_slots.h
// mirrors these layouts): each slot's blocks, for the C validate_deallocation, and its thread caches, for the C
// allocate and deallocate; and the C readers' marks that taking the descriptions back waits for.
internal static unsafe partial class NativeVtableSlots
{
    /// <summary>How many C threads can hold a reader's mark at once; a thread that finds none free asks .NET.</summary>
    public const int ReaderCount = 1024;

    /// <summary>The C readers' marks, one cache line each; made with the first page, never freed.</summary>
    private static Reader* s_readers;

    /// <summary>Each cache description's generation: a C thread's entry for a slot matches one publication only.</summary>
    private static long s_generation;

    /// <summary>The C readers' marks (<see cref="ReaderCount"/>; null before the first page), for tests.</summary>
    internal static Reader* Readers => s_readers;

    /// <summary>
    /// 8 KiB beside each slot page: its first 64 bytes point at the readers' marks and the runtime's attach function,
    /// then one <see cref="Ownership"/> per slot at the slot's own offset in its page; the second 4 KiB hold one
    /// <see cref="BlockCache"/> per slot, at 4 KiB plus the slot's offset. Never freed, as the pages are not.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 2 * PageSize)]
    public struct SidePage
    {
        public Reader* Readers;

        /// <summary>The calling thread's object for a strategy, pinned, for the C calls (<see cref="NativeExports"/>).</summary>
        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, byte*> Attach;

        /// <summary>The same for one class of a strategy that routes sizes to classes.</summary>
        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int, byte*> AttachClass;
    }

    /// <summary><see cref="BlockCache.Flags"/>: a free changes the state byte by CAS.</summary>
    public const byte CacheStrict = 1;

    /// <summary><see cref="BlockCache.Flags"/>: the slot routes sizes to classes; <see cref="BlockCache.Stride"/> is then the address of its <see cref="SizeClasses"/>.</summary>
    public const byte CacheRouted = 2;

    /// <summary>
    /// The header of a routed strategy's 8 KiB description (<c>SizeClasses</c> in
    /// <c>native/memory_strategy_slots.h</c>): each class's block description at 64 * (i + 1) and its cache
    /// description 4 KiB further, the class of each size at 2 KiB, the class of each granule at 6 KiB.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SizeClasses
    {
        public uint ClassCount;
        public uint GranuleShift;
        public nuint Largest;
        public nuint ReservationStart;
        public ulong GranuleCount;
    }

    private const int SizeTableOffset = 2048;
    private const int GranuleTableOffset = PageSize + 2048;

    /// <summary>
    /// One slot's description of its strategy's blocks (<see cref="NativeBlockOwnership"/>), or none
    /// (<see cref="Published"/> 0). Written by the thread that creates or releases the slot's handle; read by C.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = SlotSize)]
    public struct Ownership
    {
        public int Published;
        public int Shift;
        public nuint Start;
        public ulong Count;
        public ulong OddInverse;
        public byte* States;
        public int Allocated;

        /// <summary>A size class's status word (its allocations in C need Ready or Degraded); null in a slot's own description.</summary>
        public int* Status;
    }

    /// <summary>
    /// One slot's description of its strategy's thread caches (<see cref="NativeBlockCache"/>), with the generated
    /// thunks the C calls fall back on and where the runtime's counters lie in a thread's object; or none
    /// (<see cref="Published"/> 0). Written by the thread that creates or releases the slot's handle; read by C.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = SlotSize)]
    public struct BlockCache
    {
        public int Published;
        public byte Flags;
        public byte FreeState;
        public ushort ItemsOffset;
        public ulong Generation;
        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> Allocate;
        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> Deallocate;
        public nuint MaxSize;
        public nuint Stride;
        public ushort CountOffset;
        public ushort CapacityOffset;
        public ushort BusyOffset;
        public ushort StealLockOffset;
        public ushort AllocationsOffset;
        public ushort DeallocationsOffset;
        public ushort BytesOffset;
        public ushort LocalPeakOffset;
    }

    /// <summary>
    /// A C thread's mark: the slot whose descriptions it is reading (0 when none), and whether a thread holds the mark
    /// (claimed by CAS from C, given back when the thread exits).
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Reader
    {
        public nuint Slot;
        public int Claimed;
    }

    private static SidePage* NewSidePage()
    {
        // Under s_lock (AddPage's caller): the marks are made once.
        if (s_readers == null)
        {
            s_readers = (Reader*)NativeMemory.AlignedAlloc((nuint)(ReaderCount * sizeof(Reader)), 64);
            NativeMemory.Clear(s_readers, (nuint)(ReaderCount * sizeof(Reader)));
        }

        var page = (SidePage*)NativeMemory.AlignedAlloc((nuint)sizeof(SidePage), PageSize);
        NativeMemory.Clear(page, (nuint)sizeof(SidePage));
        page->Readers = s_readers;
        page->Attach = &NativeExports.AttachThreadExport;
        page->AttachClass = &NativeExports.AttachClassExport;
        return page;
    }

    private static byte* SideOf(Slot* slot)
    {
        nuint address = (nuint)slot;
        var header = (PageHeader*)(address & ~(nuint)(PageSize - 1));
        return (byte*)header->Side + (address & (PageSize - 1));
    }

    /// <summary>The block description beside <paramref name="slot"/>.</summary>
    internal static Ownership* OwnershipOf(Slot* slot) => (Ownership*)SideOf(slot);

    /// <summary>The cache description beside <paramref name="slot"/>.</summary>
    internal static BlockCache* BlockCacheOf(Slot* slot) => (BlockCache*)(SideOf(slot) + PageSize);

    /// <summary>
    /// Publishes <paramref name="blocks"/> for the C <c>validate_deallocation</c> of <paramref name="slot"/>, a live
    /// slot with no description. The strategy must keep the state bytes readable until <see cref="RetireDescriptions"/>.
    /// </summary>
    public static void PublishOwnership(Slot* slot, in NativeBlockOwnership blocks)
    {
        Ownership* ownership = OwnershipOf(slot);
        WriteOwnership(ownership, blocks);

        // Release: a C reader whose acquire load sees 1 sees the fields above.
        Volatile.Write(ref ownership->Published, 1);
    }

    private static void WriteOwnership(Ownership* ownership, in NativeBlockOwnership blocks)
    {
        ownership->Start = (nuint)blocks.Start;
        ownership->Shift = blocks.Shift;
        ownership->OddInverse = blocks.OddInverse;
        ownership->Count = blocks.Count;
        ownership->States = blocks.States;
        ownership->Allocated = blocks.Allocated;
    }

    /// <summary>
    /// Publishes <paramref name="cache"/> for the C allocate and deallocate of <paramref name="slot"/>, whose blocks
    /// <paramref name="blocks"/> (published already) describe, and points the slot's vtable at
    /// <paramref name="allocate"/> and <paramref name="deallocate"/>, the C calls. The thunks the vtable held become
    /// the C calls' fall-back. Call it before the slot's pointer is handed to C.
    /// </summary>
    /// <exception cref="ArgumentException">The stride is not the one the block description gives.</exception>
    public static void PublishBlockCache(
        Slot* slot,
        in NativeBlockOwnership blocks,
        in NativeBlockCache cache,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> allocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> deallocate)
    {
        BlockCache* description = BlockCacheOf(slot);
        WriteCache(description, blocks, cache);
        Publish(slot, description, allocate, deallocate);
    }

    /// <summary>
    /// Publishes <paramref name="classes"/> for the C allocate and deallocate of <paramref name="slot"/>, a strategy
    /// that routes sizes to them, and points the slot's vtable at the C calls (see <see cref="PublishBlockCache"/>).
    /// Returns the description's memory (8 KiB), which the caller frees once <see cref="RetireDescriptions"/> returned.
    /// </summary>
    /// <exception cref="ArgumentException">A class's stride is not the one its block description gives.</exception>
    public static byte* PublishSizeClasses(
        Slot* slot,
        NativeSizeClasses classes,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> allocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> deallocate)
    {
        var memory = (byte*)NativeMemory.AlignedAlloc(2 * PageSize, PageSize);
        try
        {
            NativeMemory.Clear(memory, 2 * PageSize);
            var header = (SizeClasses*)memory;
            header->ClassCount = (uint)classes.Classes.Length;
            header->GranuleShift = (uint)classes.GranuleShift;
            header->Largest = classes.Largest;
            header->ReservationStart = classes.RangeStart;
            header->GranuleCount = (ulong)classes.ClassOfGranule.Length;
            for (int i = 0; i < classes.Classes.Length; i++)
            {
                (NativeBlockOwnership blocks, NativeBlockCache cache) = classes.Classes[i];
                var ownership = (Ownership*)(memory + (SlotSize * (i + 1)));
                WriteOwnership(ownership, blocks);
                ownership->Status = (int*)classes.ClassTrackers[i].StatusAddress;
                ownership->Published = 1;
                WriteCache((BlockCache*)((byte*)ownership + PageSize), blocks, cache);
            }

            classes.ClassOfSize.CopyTo(new Span<byte>(memory + SizeTableOffset, classes.ClassOfSize.Length));
            classes.ClassOfGranule.CopyTo(new Span<byte>(memory + GranuleTableOffset, classes.ClassOfGranule.Length));

            // The slot's own cache description: the strategy's counters (its thread objects are of ThreadType), the
            // size limit of the classes, and the address of the classes in place of a stride.
            BlockCache* description = BlockCacheOf(slot);
            *description = default;
            description->Flags = CacheRouted;
            description->MaxSize = classes.Largest;
            description->Stride = (nuint)memory;
            Publish(slot, description, allocate, deallocate);
            return memory;
        }
        catch
        {
            NativeMemory.AlignedFree(memory);
            throw;
        }
    }

    /// <summary>A pool's cache description, in a slot's side page or in a routed strategy's classes.</summary>
    private static void WriteCache(BlockCache* description, in NativeBlockOwnership blocks, in NativeBlockCache cache)
    {
        // The C code places block i at Start + i * Stride, and maps a pointer back with the description's shift and
        // inverse: a stride that disagrees would hand out blocks the ownership test then refuses.
        ulong odd = (ulong)cache.Stride >> blocks.Shift;
        if (BitOperations.TrailingZeroCount(cache.Stride) != blocks.Shift || unchecked(odd * blocks.OddInverse) != 1)
        {
            throw new ArgumentException("The cache's stride is not the one the block description gives.", nameof(cache));
        }

        description->Flags = cache.Strict ? CacheStrict : (byte)0;
        description->FreeState = cache.FreeState;
        description->ItemsOffset = (ushort)cache.ItemsOffset;
        description->MaxSize = cache.MaxSize;
        description->Stride = cache.Stride;
        description->CountOffset = (ushort)cache.CountOffset;
        description->CapacityOffset = (ushort)cache.CapacityOffset;
        description->BusyOffset = (ushort)cache.BusyOffset;
        description->StealLockOffset = (ushort)cache.StealLockOffset;
    }

    /// <summary>Completes a slot's cache description (generation, thunks, counters), publishes it and points the vtable at the C calls.</summary>
    private static void Publish(
        Slot* slot,
        BlockCache* description,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> allocate,
        delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> deallocate)
    {
        description->Allocate = slot->Vtable.Allocate;
        description->Deallocate = slot->Vtable.Deallocate;
        description->AllocationsOffset = CounterOffsets.Allocations;
        description->DeallocationsOffset = CounterOffsets.Deallocations;
        description->BytesOffset = CounterOffsets.Bytes;
        description->LocalPeakOffset = CounterOffsets.LocalPeak;

        // The generation last, with release: the C calls read it alone (acquire) to know the description published
        // and theirs, so one that sees it sees the fields above (and a routed strategy's classes).
        description->Published = 1;
        Volatile.Write(ref description->Generation, (ulong)Interlocked.Increment(ref s_generation));

        // Plain stores: C reaches the slot only through the pointer its creator is about to return.
        slot->Vtable.Allocate = allocate;
        slot->Vtable.Deallocate = deallocate;
    }

    /// <summary>
    /// Takes back the descriptions of <paramref name="slot"/>, if it has any, and returns once no C thread is reading
    /// them: after this, the strategy may free its state bytes and caches. The vtable keeps pointing at the C calls,
    /// which find no description and call the thunks (which refuse a released handle). Returns whether a
    /// <see cref="Thread.Interrupt"/> reached the thread while it waited (kept, not raised: the caller raises it).
    /// </summary>
    public static bool RetireDescriptions(Slot* slot)
    {
        Ownership* ownership = OwnershipOf(slot);
        BlockCache* cache = BlockCacheOf(slot);
        if (Volatile.Read(ref ownership->Published) == 0 && Volatile.Read(ref cache->Published) == 0)
        {
            return false;
        }

        // The generation the C calls read goes first (0 matches no thread's entry), then the publication words.
        Volatile.Write(ref cache->Generation, 0);
        Volatile.Write(ref cache->Published, 0);
        Volatile.Write(ref ownership->Published, 0);

        // An asymmetric Dekker handshake, as between a pool's owner and a thief (PoolThread): a C reader stores its
        // mark (a plain store), then loads the description's word (the block description's Published, the cache
        // description's Generation). The process-wide barrier runs a full fence on every core running a thread of the
        // process: a reader whose mark store came before that fence is seen below (and waited for); one whose store
        // came after it loads the word after the stores of 0 above were visible, sees 0, and asks .NET instead of
        // reading the description.
        Interlocked.MemoryBarrierProcessWide();
        Reader* readers = s_readers;

        // Not abandoned on Thread.Interrupt: the descriptions are taken back already, and a destroy that left here
        // would skip the strategy's cleanup. The interrupt is handed to the caller, who raises it again.
        using var spin = new UninterruptibleSpinWait();
        for (int i = 0; i < ReaderCount; i++)
        {
            spin.Reset();
            while (Volatile.Read(ref readers[i].Slot) == (nuint)slot)
            {
                // The reader is inside a few dozen instructions that never wait (or is preempted there), or attaching
                // its thread (a short call into .NET that takes no lock this thread holds).
                spin.SpinOnce();
            }
        }

        return spin.TakeInterrupt();
    }

    /// <summary>Where a <see cref="StrategyThread"/> keeps the counters the C calls update, from its first field.</summary>
    private static class CounterOffsets
    {
        public static readonly ushort Allocations;
        public static readonly ushort Deallocations;
        public static readonly ushort Bytes;
        public static readonly ushort LocalPeak;

        static CounterOffsets()
        {
            var thread = (StrategyThread)RuntimeHelpers.GetUninitializedObject(typeof(StrategyThread));
            Allocations = (ushort)NativeBlockCache.OffsetOf(thread, ref thread.Allocations);
            Deallocations = (ushort)NativeBlockCache.OffsetOf(thread, ref thread.Deallocations);
            Bytes = (ushort)NativeBlockCache.OffsetOf(thread, ref thread.BytesRequested);
            LocalPeak = (ushort)NativeBlockCache.OffsetOf(thread, ref thread.LocalPeak);
        }
    }
}
