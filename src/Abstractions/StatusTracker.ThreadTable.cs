using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace MemoryStrategy;

// How the calling thread finds its StrategyThread of a tracker: first in its slots, one per tracker index (the lookup every
// call makes), then in its table of every tracker it has used, indexed by the same small per-tracker index (a slot's
// miss, and the way a strategy built from strategies reaches an inner one's object).
public sealed unsafe partial class StatusTracker
{
    /// <summary>
    /// The calling thread's <see cref="StrategyThread"/> of every tracker it has used, each at its tracker's
    /// <see cref="_index"/>, next to that tracker's key: what refills a slot (<see cref="t_slots"/>) without the slow
    /// path. Only the owning thread reads or writes its table (plain accesses: no other thread ever sees it).
    /// </summary>
    [ThreadStatic]
    private static ThreadEntry[]? t_byTracker;

    /// <summary>
    /// The calling thread's first check: its <see cref="StrategyThread"/> objects in slots, each tracker's at its
    /// <see cref="_index"/> (which no other live tracker has). A hit is one thread-local read, a compare of the index
    /// with the slots' length, one load of the slot and one compare of the object's own key, for one strategy and for
    /// any number used in turn alike, and a switch between them writes nothing. A miss (first use on the thread, a slot
    /// left by a collected tracker whose index was reused, or an index beyond the slots the thread has) goes out of
    /// line to the table, grows the slots when the index is beyond them, and fills the slot. (Until 2026-12-06 there
    /// were 256 slots and no length compare; the trackers beyond shared a slot never filled and took the table, out of
    /// line, on every call: 1.5x one strategy when used in turn.)
    /// </summary>
    [ThreadStatic]
    private static ThreadSlots? t_slots;

    /// <summary>
    /// The address of <see cref="t_slots"/>'s first slot (0 before the thread's first lookup): what every lookup reads.
    /// A thread-static of a type without references lives in the thread's own storage, one load past the runtime's
    /// thread-local access, where a thread-static reference takes three dependent loads and two tests (the runtime's
    /// per-type table, its length, the type's block) before the object's own. The slots are a pinned array, so the
    /// address stays valid while <see cref="t_slots"/> keeps the array alive, which is for as long as the thread runs;
    /// only the owning thread reads it.
    /// </summary>
    [ThreadStatic]
    private static nint t_slotsBase;

    /// <summary>
    /// How many slots <see cref="t_slotsBase"/> points to (0 before the thread's first lookup), kept beside the address
    /// for the same reason: the lookup's bounds check reads it in the thread's own storage, not in the array's header.
    /// </summary>
    [ThreadStatic]
    private static int t_slotsLength;

    /// <summary>The calling thread's table behind an object that its <see cref="StrategyThread"/> objects share.</summary>
    [ThreadStatic]
    private static ThreadTable? t_threadTable;

    /// <summary>This tracker's small index: unique among live trackers, reused once a tracker has been collected.</summary>
    private readonly TrackerIndex _indexLease;

    /// <summary><see cref="TrackerIndex.Value"/>, inline: read on every table lookup.</summary>
    private readonly int _index;

    /// <summary>
    /// The calling thread's <see cref="StrategyThread"/> for this tracker, found from
    /// <paramref name="sameThread"/>, the calling thread's <see cref="StrategyThread"/> of another tracker, without a
    /// thread-local lookup: for a strategy made of inner strategies, whose inner calls then cost no second lookup.
    /// </summary>
    /// <param name="sameThread">
    /// What <see cref="CurrentThread"/> of any tracker returned on the calling thread. Not checked, as for
    /// <see cref="RecordAllocation(StrategyThread, nuint)"/>: another thread's object would hand out that thread's.
    /// </param>
    /// <returns>The same object <see cref="CurrentThread"/> returns on this thread.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public StrategyThread ThreadFrom(StrategyThread sameThread) => Find(sameThread.Table.Entries) ?? GetCurrentThreadSlow();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private StrategyThread GetCurrentThread() =>
        TryFindInSlots(t_slotsBase, t_slotsLength, _index, _trackerKey, out StrategyThread? thread) ? thread : GetCurrentThreadFromTable();

    /// <summary>The calling thread's slots (null before its first lookup).</summary>
    internal static ThreadSlots? CurrentSlots => t_slots;

    /// <summary>The address of the calling thread's first slot (0 before its first lookup), for <see cref="TryFindInSlots"/>.</summary>
    internal static nint CurrentSlotsBase
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_slotsBase;
    }

    /// <summary>How many slots the calling thread has (0 before its first lookup), for <see cref="TryFindInSlots"/>.</summary>
    internal static int CurrentSlotsLength
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_slotsLength;
    }

    /// <summary>
    /// The lookup's first step: whether the calling thread's slot <paramref name="slot"/> (of the
    /// <paramref name="slotsLength"/> slots at <paramref name="slotsBase"/>, read first: the thread-local read is a call
    /// on some platforms, and the slot and key read after it need not be kept across it) holds the object of the
    /// tracker whose key is <paramref name="key"/>. Static, so a caller that keeps the slot and key inline (the
    /// generated strategy's <see cref="StatusTrackerHandle"/>) reads neither from the tracker; a
    /// <see langword="bool"/>, so the caller's miss branch is the test's own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryFindInSlots(nint slotsBase, int slotsLength, int slot, TrackerKey key, [NotNullWhen(true)] out StrategyThread? thread)
    {
        // One compare for both "no slots yet" (length 0) and "an index beyond this thread's slots".
        if ((uint)slot < (uint)slotsLength)
        {
            // A read of a reference through the pinned array's address: the array never moves, and the reference read
            // is the GC's to report as any other. The key check is needed because a slot outlives its tracker (a
            // collected tracker's index, and with it its slot, goes to a new tracker). No null test: a slot never
            // holds null (an empty one holds EmptySlot, whose key is null, so it matches no tracker).
            thread = Unsafe.Add(ref Unsafe.AsRef<StrategyThread>((void*)slotsBase), slot);
            return ReferenceEquals(thread.TrackerKey, key);
        }

        thread = null;
        return false;
    }

    /// <summary>This tracker's slot in every thread's slots, its index (for <see cref="StatusTrackerHandle"/>).</summary>
    internal int Slot => _index;

    /// <summary>The key this tracker's <see cref="StrategyThread"/> objects hold (for <see cref="StatusTrackerHandle"/>).</summary>
    internal TrackerKey Key => _trackerKey;

    /// <summary>
    /// The lookup's second step, out of line (a thread meets it once per strategy, and again only after a collected
    /// tracker's index went to this one): the table, else the slow path; the slot then holds what was found, the
    /// thread's slots grown first when this tracker's index lies beyond them.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal StrategyThread GetCurrentThreadFromTable()
    {
        StrategyThread? thread = Find(t_byTracker);
        ThreadSlots slots = SlotsWith(_index);
        if (thread is null)
        {
            // This thread's first call of this strategy (rare: once per strategy and thread): the moment to let the
            // objects of collected trackers go.
            thread = GetCurrentThreadSlow();
            DropCollectedTrackers(slots);
        }

        // Through the slots object, not an array read before: the slow path above may have grown them (a factory that
        // looks up another tracker's object on this thread).
        slots.Items[_index] = thread;
        return thread;
    }

    /// <summary>
    /// Trackers collected so far (their <see cref="TrackerKey"/> released): a thread whose slots were last cleared at
    /// another count clears them again on its next first call of a strategy (<see cref="DropCollectedTrackers"/>).
    /// Incremented with Interlocked by the finalizer that releases the key; read with Volatile.
    /// </summary>
    private static int s_collectedTrackers;

    /// <summary>
    /// Drops from the calling thread's slots and table the objects of trackers collected since it last did: a slot or
    /// entry otherwise keeps its collected tracker's <see cref="StrategyThread"/> (and whatever a strategy's own type
    /// holds in it: the size-class pool's, its class pools' objects) until another tracker gets the same index and this
    /// thread uses it. Runs on a thread's first call of each strategy, so a thread that starts using any new strategy
    /// lets the dead ones go; one load and one compare when nothing was collected.
    /// </summary>
    private static void DropCollectedTrackers(ThreadSlots slots)
    {
        // Acquire: pairs with the finalizer's Interlocked increment, made after it released the key, so every key
        // counted here reads as released below. A key released after this read is dropped at the next count.
        int collected = Volatile.Read(ref s_collectedTrackers);
        if (collected == slots.DroppedAt)
        {
            return;
        }

        slots.DroppedAt = collected;
        StrategyThread[] items = slots.Items;
        for (int i = 0; i < items.Length; i++)
        {
            ref StrategyThread slot = ref items[i];
            if (slot.TrackerKey is { IsReleased: true })
            {
                slot = ThreadSlots.EmptySlot;
            }
        }

        // The table too (only this thread reads or writes it; growing it drops such entries as well).
        ThreadEntry[]? entries = t_byTracker;
        if (entries is not null)
        {
            for (int i = 0; i < entries.Length; i++)
            {
                if (entries[i].Key is { IsReleased: true })
                {
                    entries[i] = default;
                }
            }
        }
    }

    /// <summary>
    /// This tracker's entry of a thread's table, or null. The key and the object sit side by side, so the check is one
    /// load of the table and one of the entry: no load through the object before the compare. The key check is needed
    /// because an index outlives its tracker: the entry may be a collected tracker's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private StrategyThread? Find(ThreadEntry[]? entries)
    {
        int index = _index;
        if (entries is not null && (uint)index < (uint)entries.Length)
        {
            ref ThreadEntry entry = ref entries[index];
            if (ReferenceEquals(entry.Key, _trackerKey))
            {
                return entry.Thread;
            }
        }

        return null;
    }

    /// <summary>Puts <paramref name="thread"/> into the calling thread's table at this tracker's index.</summary>
    private void Remember(StrategyThread thread)
    {
        ThreadTable table = t_threadTable ??= new ThreadTable();
        ThreadEntry[] entries = table.Entries;
        if (_index >= entries.Length)
        {
            var grown = new ThreadEntry[Math.Max(_index + 1, entries.Length * 2)];
            for (int i = 0; i < entries.Length; i++)
            {
                // Entries of collected trackers are dropped on the way, so their objects (and the state they hold)
                // are not kept alive by every thread that once used them.
                if (entries[i].Key is { IsReleased: false })
                {
                    grown[i] = entries[i];
                }
            }

            table.Entries = entries = grown;
        }

        entries[_index] = new ThreadEntry(_trackerKey, thread);
        thread.Table = table;
        t_byTracker = entries;
    }

    /// <summary>One tracker's place in a thread's table.</summary>
    internal readonly struct ThreadEntry(TrackerKey key, StrategyThread thread)
    {
        public readonly TrackerKey? Key = key;
        public readonly StrategyThread Thread = thread;
    }

    /// <summary>One thread's first-check slots (see <see cref="t_slots"/>); only the owning thread reads or writes them.</summary>
    internal sealed class ThreadSlots
    {
        /// <summary>How many slots a thread starts with (2 KiB of references, made on the thread's first lookup).</summary>
        public const int InitialCount = 256;

        /// <summary>
        /// The slots, in an array on the pinned object heap: its address is read through <see cref="t_slotsBase"/>
        /// (the runtime supports pinned arrays of references; the GC still updates the references they hold).
        /// Replaced by a longer copy when a tracker's index lies beyond it.
        /// </summary>
        public StrategyThread[] Items = NewArray(InitialCount);

        /// <summary>The collected-tracker count when this thread last dropped collected trackers' objects (<see cref="DropCollectedTrackers"/>).</summary>
        public int DroppedAt;

        /// <summary>The address of <see cref="Items"/>' first element, which never moves.</summary>
        public nint Base => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(Items));

        /// <summary>
        /// What an empty slot holds instead of null: an object whose key is null, which no tracker's is, so the
        /// lookup's key compare misses on it and the lookup needs no null test (one compare and branch less on every
        /// call). Never handed out and never written.
        /// </summary>
        public static readonly StrategyThread EmptySlot = new EmptySlotThread();

        /// <summary>Slots of <paramref name="length"/>, every one <see cref="EmptySlot"/>.</summary>
        public static StrategyThread[] NewArray(int length)
        {
            StrategyThread[] items = GC.AllocateArray<StrategyThread>(length, pinned: true);
            Array.Fill(items, EmptySlot);
            return items;
        }

        /// <summary>The type of <see cref="EmptySlot"/>: a <see cref="StrategyThread"/> with no tracker key.</summary>
        private sealed class EmptySlotThread : StrategyThread
        {
        }
    }

    /// <summary>
    /// The calling thread's slots, made on its first lookup and grown (doubled, at least to
    /// <paramref name="index"/> + 1) when <paramref name="index"/> lies beyond them, with <see cref="t_slotsBase"/> and
    /// <see cref="t_slotsLength"/> describing them.
    /// </summary>
    private static ThreadSlots SlotsWith(int index)
    {
        ThreadSlots slots = t_slots ??= new ThreadSlots();
        StrategyThread[] items = slots.Items;
        if (index >= items.Length)
        {
            var grown = ThreadSlots.NewArray(Math.Max(index + 1, 2 * items.Length));
            Array.Copy(items, grown, items.Length);
            slots.Items = items = grown;
        }

        // The array first, then its address and length: a lookup that reads them finds an array some root holds (only
        // this thread reads them; the old array, no longer described, may go).
        t_slotsBase = slots.Base;
        t_slotsLength = items.Length;
        return slots;
    }

    /// <summary>One thread's table; <see cref="StrategyThread.Table"/> points here.</summary>
    internal sealed class ThreadTable
    {
        public ThreadEntry[] Entries = new ThreadEntry[8];
    }

    /// <summary>
    /// Marks one tracker's <see cref="StrategyThread"/> objects (see <see cref="_trackerKey"/>), and says when that
    /// tracker has been collected.
    /// </summary>
    internal sealed class TrackerKey
    {
        private volatile bool _released;

        /// <summary>Whether the tracker was collected: its index may belong to another tracker now.</summary>
        public bool IsReleased => _released;

        public void Release() => _released = true;
    }

    /// <summary>
    /// A small integer lent to one tracker for its lifetime: the finalizer gives it back when the tracker (the only
    /// holder of this object) has been collected, so indices, and the threads' tables, stay as small as the number
    /// of trackers alive at once.
    /// </summary>
    private sealed class TrackerIndex
    {
        // Lock-free on purpose: a static lock outlives any one scheduler that rewrites locks (Coyote's systematic
        // tests create trackers in every iteration), and renting happens only once per tracker. Returned indices are
        // rented before new ones, so the indices, and every thread's slots and table, stay as small as the number of
        // trackers holding one at once.
        private static readonly ConcurrentStack<int> s_free = new();
        private static int s_next = -1;

        private readonly TrackerKey _key;

        private TrackerIndex(int value, TrackerKey key)
        {
            Value = value;
            _key = key;
        }

        ~TrackerIndex()
        {
            // Released first: a thread that grows its table or drops collected trackers' objects (after reading the
            // count incremented next) from now on drops the collected tracker's entry.
            // The push is a compare-and-swap (a full fence): a tracker that rents this index afterwards pops it with
            // another, so it also sees the release above.
            _key.Release();
            Interlocked.Increment(ref s_collectedTrackers);
            s_free.Push(Value);
        }

        public int Value { get; }

        public static TrackerIndex Rent(TrackerKey key)
        {
            // A returned index first, else the next never-used one (Interlocked: trackers are created on any thread).
            int value = s_free.TryPop(out int returned) ? returned : Interlocked.Increment(ref s_next);
            return new TrackerIndex(value, key);
        }
    }
}
