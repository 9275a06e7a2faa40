using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy;

// The ownership descriptions next to the slots, for the C validate_deallocation (native/memory_strategy_validators.c
// mirrors these layouts), and the C readers' marks that a slot's release waits for.
internal static unsafe partial class NativeVtableSlots
{
    /// <summary>How many C threads can hold a reader's mark at once; a thread that finds none free asks .NET.</summary>
    public const int ReaderCount = 1024;

    /// <summary>The C readers' marks, one cache line each; made with the first page, never freed.</summary>
    private static Reader* s_readers;

    /// <summary>The C readers' marks (<see cref="ReaderCount"/>; null before the first page), for tests.</summary>
    internal static Reader* Readers => s_readers;

    /// <summary>
    /// A 4 KiB block beside each slot page: its first 64 bytes point at the readers' marks, then one
    /// <see cref="Ownership"/> per slot, at the slot's own offset in its page. Never freed, as the pages are not.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = PageSize)]
    public struct OwnershipPage
    {
        public Reader* Readers;
    }

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
    }

    /// <summary>
    /// A C thread's mark: the slot whose description it is reading (0 when none), and whether a thread holds the mark
    /// (claimed by CAS from C, given back when the thread exits).
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Reader
    {
        public nuint Slot;
        public int Claimed;
    }

    private static OwnershipPage* NewOwnershipPage()
    {
        // Under s_lock (AddPage's caller): the marks are made once.
        if (s_readers == null)
        {
            s_readers = (Reader*)NativeMemory.AlignedAlloc((nuint)(ReaderCount * sizeof(Reader)), 64);
            NativeMemory.Clear(s_readers, (nuint)(ReaderCount * sizeof(Reader)));
        }

        var page = (OwnershipPage*)NativeMemory.AlignedAlloc(PageSize, PageSize);
        NativeMemory.Clear(page, PageSize);
        page->Readers = s_readers;
        return page;
    }

    /// <summary>The description beside <paramref name="slot"/>.</summary>
    internal static Ownership* OwnershipOf(Slot* slot)
    {
        nuint address = (nuint)slot;
        var header = (PageHeader*)(address & ~(nuint)(PageSize - 1));
        return (Ownership*)((byte*)header->Ownership + (address & (PageSize - 1)));
    }

    /// <summary>
    /// Publishes <paramref name="blocks"/> for the C <c>validate_deallocation</c> of <paramref name="slot"/>, a live
    /// slot with no description. The strategy must keep the state bytes readable until <see cref="RetireOwnership"/>.
    /// </summary>
    public static void PublishOwnership(Slot* slot, in NativeBlockOwnership blocks)
    {
        Ownership* ownership = OwnershipOf(slot);
        ownership->Start = (nuint)blocks.Start;
        ownership->Shift = blocks.Shift;
        ownership->OddInverse = blocks.OddInverse;
        ownership->Count = blocks.Count;
        ownership->States = blocks.States;
        ownership->Allocated = blocks.Allocated;

        // Release: a C reader whose acquire load sees 1 sees the fields above.
        Volatile.Write(ref ownership->Published, 1);
    }

    /// <summary>
    /// Takes back the description of <paramref name="slot"/>, if it has one, and returns once no C thread is reading
    /// it: after this, the strategy may free its state bytes.
    /// </summary>
    public static void RetireOwnership(Slot* slot)
    {
        Ownership* ownership = OwnershipOf(slot);
        if (Volatile.Read(ref ownership->Published) == 0)
        {
            return;
        }

        Volatile.Write(ref ownership->Published, 0);

        // An asymmetric Dekker handshake, as between a pool's owner and a thief (PoolThread): a C reader stores its
        // mark (a plain store), then loads Published. The process-wide barrier runs a full fence on every core running
        // a thread of the process: a reader whose mark store came before that fence is seen below (and waited for);
        // one whose store came after it loads Published after the store of 0 above was visible, sees 0, and asks
        // .NET instead of reading the description.
        Interlocked.MemoryBarrierProcessWide();
        Reader* readers = s_readers;
        for (int i = 0; i < ReaderCount; i++)
        {
            SpinWait spin = default;
            while (Volatile.Read(ref readers[i].Slot) == (nuint)slot)
            {
                // The reader is inside a few dozen instructions that never wait (or is preempted there).
                spin.SpinOnce();
            }
        }
    }
}
