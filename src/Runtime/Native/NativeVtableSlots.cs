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
/// <para>
/// The C validators (<c>native/memory_strategy_validators.c</c>, linked into the NativeAOT library) make the same
/// recognition without the runtime's static: the header also holds the secret and a check word (the secret times an odd
/// constant, plus the page's address; random memory passes both comparisons with probability 2^-128), and the runtime's
/// own validators as function pointers, which the C code calls when an answer needs .NET. Each slot's key word says
/// what the C code may answer alone (<see cref="NativeStrategyTraits"/>), and its limit word holds the strategy's
/// <see cref="IMemoryStrategy.MaxAllocationSize"/> once that is fixed (<see cref="PublishLimit"/>). The layout is
/// mirrored there: <see cref="PageHeader"/> and <see cref="Slot"/>.
/// </para>
/// </remarks>
internal static unsafe partial class NativeVtableSlots
{
    public const int PageSize = 4096;
    public const int SlotSize = 64;

    /// <summary>The header's check word is <c>secret * CheckMultiplier + page</c> (odd: a bijection of the secret).</summary>
    public const ulong CheckMultiplier = 0x9E3779B97F4A7C15;

    /// <summary>The key's bit of a slot handed out; <see cref="NativeStrategyTraits"/> follow it, shifted by one.</summary>
    public const int KeyLive = 1;

    /// <summary>Below this, a pointer is NULL or a small integer: refused without reading it.</summary>
    private const nuint LowestAddress = 64 * 1024;

    private static readonly nuint s_secret = (nuint)BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1;

    /// <summary>Guards the free list; taken only when a handle is created or collected, never by a call.</summary>
    private static readonly object s_lock = new();

    /// <summary>Slots rented and not returned (under <see cref="s_lock"/>): what a leak would show.</summary>
    private static long s_rented;

    /// <summary>How many slots are rented now.</summary>
    internal static long RentedCount
    {
        get
        {
            lock (s_lock)
            {
                return s_rented;
            }
        }
    }

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
        return IsSlotPage(page) && ((Slot*)address)->Key != 0;
    }

    /// <summary>
    /// Whether <paramref name="self"/> lies on one of the runtime's slot pages without being a slot's start: inside a
    /// slot's struct (a pointer into a real strategy struct) or in the page's header. The words there are the runtime's,
    /// not a struct's own, and calling through them as a struct written in C could jump anywhere, so the validators
    /// refuse such a pointer outright. Reads only the page's first word, on the same page as <paramref name="self"/>.
    /// </summary>
    /// <param name="self">A pointer a caller passed as a strategy struct (readable, as the C interface requires).</param>
    /// <returns>Whether it points inside the runtime's slot memory but at no slot.</returns>
    public static bool IsInsideSlotPageOffSlot(void* self)
    {
        nuint address = (nuint)self;
        nuint page = address & ~(nuint)(PageSize - 1);
        return address >= LowestAddress
            && ((address & (SlotSize - 1)) != 0 || address == page)
            && IsSlotPage(page);
    }

    /// <summary>Whether <paramref name="page"/> (4 KiB-aligned, readable) starts with one of the runtime's slot page headers: its tag word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSlotPage(nuint page) => *(nuint*)page == (s_secret ^ page);

    /// <summary>The slot behind a vtable pointer that <see cref="IsLiveSlot"/> accepted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Slot* From(void* self) => (Slot*)self;

    /// <summary>A zeroed slot, not yet live: the caller fills its struct, then calls <see cref="MarkLive"/>.</summary>
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
            s_rented++;
        }

        // The lock's release orders these writes, and the caller publishes the slot's address to other threads (C code,
        // the finalizer) only after them, through an ordering of its own (a handle's construction, a call into C). The
        // key stays 0 (cleared by Return) until MarkLive: a stale pointer to the slot meanwhile is refused.
        *slot = default;
        return slot;
    }

    /// <summary>
    /// Marks a rented slot live, with the strategy's traits for the C validators, once its struct is filled in.
    /// </summary>
    public static void MarkLive(Slot* slot, NativeStrategyTraits traits)
    {
        // Release: a reader whose (acquire) load sees the key sees the filled struct too. A stale pointer to a reused
        // slot (a use after free, like C's) finds either the cleared key, refused as foreign, or a complete struct,
        // never a live key in front of a NULL status_tracker.
        Volatile.Write(ref slot->Key, KeyLive | ((int)traits << 1));
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
            s_rented--;
        }
    }

    private static void AddPage()
    {
        var page = (byte*)NativeMemory.AlignedAlloc(PageSize, PageSize);
        NativeMemory.Clear(page, PageSize);
        var header = (PageHeader*)page;
        header->Tag = s_secret ^ (nuint)page;
        header->Secret = s_secret;
        header->Check = unchecked(s_secret * (nuint)CheckMultiplier + (nuint)page);
        header->ValidateStrategy = &NativeValidators.ValidateStrategyExport;
        header->ValidateAllocation = &NativeValidators.ValidateAllocationExport;
        header->ValidateDeallocation = &NativeValidators.ValidateDeallocationExport;
        header->Owns = &NativeValidators.OwnsExport;
        header->Side = NewSidePage();
        for (int offset = PageSize - SlotSize; offset >= SlotSize; offset -= SlotSize)
        {
            var slot = (Slot*)(page + offset);
            *(Slot**)slot = s_free;
            s_free = slot;
        }
    }

    /// <summary>
    /// Publishes the strategy's <see cref="IMemoryStrategy.MaxAllocationSize"/> in the slot of <paramref name="self"/>
    /// (a live slot) for the C validators, once it can no longer change: the slot says
    /// <see cref="NativeStrategyTraits.FixedMaxAllocationSize"/> and the strategy has left Uninitialized. Idempotent; a
    /// published limit is never written again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PublishLimit(void* self, IMemoryStrategy? strategy)
    {
        var slot = (Slot*)self;
        if (slot->Limit == 0 && strategy is not null)
        {
            PublishLimitSlow(slot, strategy);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PublishLimitSlow(Slot* slot, IMemoryStrategy strategy)
    {
        if ((slot->Key & ((int)NativeStrategyTraits.FixedMaxAllocationSize << 1)) == 0
            || strategy.GetStatus() == StrategyStatus.Uninitialized)
        {
            return;
        }

        // Release: the status read above happens before a C reader's acquire load of the limit, so a C thread that
        // sees the limit also sees a status past Uninitialized. Racing publishers write the same value.
        Volatile.Write(ref slot->Limit, strategy.MaxAllocationSize);
    }

    /// <summary>
    /// One slot: the C struct, then the status word <c>status_tracker</c> points at once the handle is disposed, then
    /// this class's own word (0 while the slot is free; else <see cref="KeyLive"/> and the traits shifted by one), then
    /// the published limit (0 until <see cref="PublishLimit"/>). Mirrored by <c>Slot</c> in
    /// <c>native/memory_strategy_validators.c</c>.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = SlotSize)]
    public struct Slot
    {
        public NativeMemoryStrategy Vtable;
        public int DisposedStatus;
        public int Key;
        public nuint Limit;
    }

    /// <summary>
    /// The first 64 bytes of a slot page. Mirrored by <c>SlotPageHeader</c> in <c>native/memory_strategy_validators.c</c>.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = SlotSize)]
    public struct PageHeader
    {
        /// <summary><c>secret ^ page</c>: <see cref="IsLiveSlot"/>'s recognition.</summary>
        public nuint Tag;

        /// <summary>The secret, for the C validators' recognition.</summary>
        public nuint Secret;

        /// <summary><c>secret * CheckMultiplier + page</c>: the C validators' second comparison.</summary>
        public nuint Check;

        /// <summary>What the C <c>validate_strategy</c> calls when the answer needs .NET.</summary>
        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, byte> ValidateStrategy;

        /// <summary>What the C <c>validate_allocation</c> calls when the answer needs .NET.</summary>
        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, byte> ValidateAllocation;

        /// <summary>What the C <c>validate_deallocation</c> calls when the answer needs .NET (ownership).</summary>
        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, byte> ValidateDeallocation;

        /// <summary>
        /// The ownership question alone, for the C <c>validate_deallocation</c> of a strategy validated by its status,
        /// once the C code has read a serving status.
        /// </summary>
        public delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, byte> Owns;

        /// <summary>The page's descriptions for the C code (<see cref="SidePage"/>), written once before any slot is handed out.</summary>
        public SidePage* Side;
    }
}
