using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// Where the runtime keeps the C structs of <see cref="NativeStrategyHandle"/>: 64-byte slots in 4 KiB pages whose
/// first 64 bytes are a header holding a tag word. A thunk or an exported validator handed any <c>MemoryStrategy*</c>
/// tells one of these slots from a struct written in C, or from garbage, with one read of that header, before it
/// reads anything else.
/// </summary>
/// <remarks>
/// <para>
/// Why the header is safe to read: it is on the same 4 KiB page as <c>self</c> itself, and a caller that hands over a
/// pointer to a struct, even a garbage one, hands over readable memory (C reads <c>self-&gt;allocate</c> to call the
/// thunk at all). A pointer below 64 KiB (NULL and small integers) is refused without any read. Nothing is read
/// beyond the page.
/// </para>
/// <para>
/// The tag is a secret drawn from the system's random source at start-up, mixed with the page's address: memory
/// that was not written by this class matches it with probability 2^-64, and a copy of a page elsewhere does not
/// match. Pages are never returned to the system (a slot is reused after its handle is collected), so a header once
/// written stays valid: a stale pointer to a released slot finds the slot's key cleared and is refused, as a C
/// allocator refuses a freed pointer.
/// </para>
/// </remarks>
internal static unsafe class NativeVtableSlots
{
    public const int PageSize = 4096;
    public const int SlotSize = 64;

    /// <summary>Below this, a pointer is NULL or a small integer: refused without reading it.</summary>
    private const nuint LowestAddress = 64 * 1024;

    private static readonly nuint s_secret = (nuint)BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;

    /// <summary>Guards the free list; taken only when a handle is created or collected, never by a call.</summary>
    private static readonly object s_lock = new();

    private static Slot* s_free;

    /// <summary>
    /// Whether <paramref name="self"/> is the vtable of a slot this class handed out, not yet released. Reads only
    /// the page header and, when that matches, the slot's key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLiveSlot(void* self)
    {
        nuint address = (nuint)self;
        nuint page = address & ~(nuint)(PageSize - 1);

        // A slot starts at a multiple of 64 past the header; anything else is not ours, and is not read.
        if (address < LowestAddress || (address & (SlotSize - 1)) != 0 || address == page)
        {
            return false;
        }

        // The page's first word is on the same page as self (see the remarks). Written once before any slot of the
        // page was handed out, and published to other threads with the slot pointer itself (see Rent).
        return *(nuint*)page == (s_secret ^ page) && ((Slot*)address)->Key != 0;
    }

    /// <summary>The slot behind a vtable pointer that <see cref="IsLiveSlot"/> accepted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Slot* From(void* self) => (Slot*)self;

    /// <summary>A zeroed slot, marked live.</summary>
    public static Slot* Rent()
    {
        Slot* slot;
        lock (s_lock)
        {
            if (s_free == null)
            {
                AddPage();
            }

            slot = s_free;
            s_free = *(Slot**)slot;
        }

        // The lock's release orders these writes, and the caller publishes the slot's address to other threads (C code,
        // the finalizer) only after them, through an ordering of its own (a handle's construction, a call into C).
        *slot = default;
        slot->Key = 1;
        return slot;
    }

    /// <summary>Puts a slot back: its key is cleared first, so a stale pointer to it is refused from now on.</summary>
    public static void Return(Slot* slot)
    {
        // Volatile: a thread still holding the old pointer sees the cleared key no later than the slot's reuse.
        Volatile.Write(ref slot->Key, 0);
        lock (s_lock)
        {
            *(Slot**)slot = s_free;
            s_free = slot;
        }
    }

    private static void AddPage()
    {
        var page = (byte*)NativeMemory.AlignedAlloc(PageSize, PageSize);
        NativeMemory.Clear(page, PageSize);
        *(nuint*)page = s_secret ^ (nuint)page;
        for (int offset = PageSize - SlotSize; offset >= SlotSize; offset -= SlotSize)
        {
            var slot = (Slot*)(page + offset);
            *(Slot**)slot = s_free;
            s_free = slot;
        }
    }

    /// <summary>
    /// One slot: the C struct, then the status word <c>status_tracker</c> points at once the handle is disposed, then
    /// this class's own word (0 while the slot is free).
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = SlotSize)]
    public struct Slot
    {
        public NativeMemoryStrategy Vtable;
        public int DisposedStatus;
        public int Key;
    }
}
