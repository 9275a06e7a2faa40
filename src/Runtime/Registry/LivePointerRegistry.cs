using System;
using System.Collections.Generic;
using System.Threading;

namespace MemoryStrategy;

/// <summary>
/// A lock-free concurrent set of live block addresses: the registry behind <c>[MemoryStrategy(TrackAllocations = true)]</c>.
/// Every operation is O(1) expected, takes no lock, and grows the set without stopping other threads.
/// </summary>
/// <remarks>
/// <para>
/// Contract (what the generated code guarantees): an address is added by the one thread the core handed it to, and is
/// added again only after it was removed (the core can hand a block out again only after it was freed). Under that
/// contract every operation is linearizable, and of several threads racing <see cref="TryRemove"/> on one live address
/// exactly one gets <see langword="true"/>: the double free is refused. Adding an address that is already present
/// returns <see langword="false"/> (the core handed out a live block twice); two threads adding the same address at the
/// same instant is outside the contract.
/// </para>
/// <para>
/// Layout: open addressing with linear probing over one <see cref="long"/> per slot, so each operation is one
/// compare-and-swap on one slot. Growth is cooperative: a thread that finds a resize in progress helps move slots to the
/// new table instead of waiting, and a resize never blocks anyone (see <c>LivePointerRegistry.Migration.cs</c>).
/// </para>
/// <para>
/// Addresses below 4096 (the first page, never mapped) and addresses in the kernel half of the address space are not
/// trackable: <see cref="TryAdd"/> refuses them and <see cref="TryRemove"/>/<see cref="Contains"/> report them absent.
/// No user-space allocator returns such an address on any platform .NET supports.
/// </para>
/// </remarks>
public sealed partial class LivePointerRegistry
{
    private const int DefaultCapacity = 64;

    /// <summary>The table operations start on. Replaced (by CAS) only after a resize into its successor completed.</summary>
    private Table _table;

    /// <summary>Creates an empty registry with room for 32 addresses before it first grows.</summary>
    public LivePointerRegistry()
        : this(DefaultCapacity)
    {
    }

    /// <summary>Creates an empty registry.</summary>
    /// <param name="initialCapacity">
    /// Slots in the first table, 0 .. 2^30 (1,073,741,824: a table's largest size, 8 GiB), rounded up to a power of
    /// two, at least 16; the registry grows past it.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCapacity"/> is negative or above 2^30.</exception>
    public LivePointerRegistry(int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        if (initialCapacity > Table.MaximumLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(initialCapacity), initialCapacity, $"The initial capacity must be 0 .. {Table.MaximumLength} (2^30 slots, a table's largest size).");
        }

        _table = Table.CreateOpen(initialCapacity);
    }

    /// <summary>
    /// The number of addresses in the set: a scan of the table, O(capacity). Exact when no other thread is changing
    /// the set; while threads add and remove it is a value the set held at some point during the call or close to it.
    /// </summary>
    public int Count => CurrentTable().CountLive();

    /// <summary>Slots in the current table (for tests and diagnostics: shows growth).</summary>
    internal int Capacity => CurrentTable().Length;

    /// <summary>Adds a live address.</summary>
    /// <param name="address">The block's address.</param>
    /// <returns>
    /// <see langword="true"/> when added; <see langword="false"/> when it was already present or is not trackable
    /// (null, the first page, the kernel half).
    /// </returns>
    public bool TryAdd(nint address)
    {
        long key = SlotValue.FromAddress(address);
        if (!SlotValue.IsKey(key))
        {
            return false;
        }

        Table table = Volatile.Read(ref _table);
        while (true)
        {
            if (Volatile.Read(ref table.Migration) is not null)
            {
                table = HelpMigration(table);
                continue;
            }

            switch (table.TryInsert(key))
            {
                case Outcome.Done:
                    return true;
                case Outcome.DoneAndFull:
                    StartMigration(table);
                    HelpMigration(table);
                    return true;
                case Outcome.Present:
                    return false;
                case Outcome.NoRoom:
                    StartMigration(table);
                    table = HelpMigration(table);
                    break;
                case Outcome.Moved:
                    table = HelpMigration(table);
                    break;
                default:
                    // Outcome.Contended: the chosen slot changed under us; scan again.
                    break;
            }
        }
    }

    /// <summary>Removes a live address. Of several threads racing to remove one address, exactly one succeeds.</summary>
    /// <param name="address">The address to remove; any value, null included.</param>
    /// <returns><see langword="true"/> for the call that removed it; <see langword="false"/> when it was not present.</returns>
    public bool TryRemove(nint address) => Probe(address, delete: true) == Outcome.Done;

    /// <summary>Whether <paramref name="address"/> is in the set.</summary>
    /// <param name="address">Any value, null included.</param>
    /// <returns><see langword="true"/> when it is a live address of the set.</returns>
    public bool Contains(nint address) => Probe(address, delete: false) == Outcome.Present;

    /// <summary>
    /// Removes every address in the set and returns them, in no particular order: what a strategy still holds when it is
    /// disposed (the generated <c>Dispose</c> of a <c>TrackAllocations</c> strategy hands each back to its core).
    /// </summary>
    /// <remarks>
    /// Each address is removed by one compare-and-swap, as <see cref="TryRemove"/> removes it, so an address that a
    /// racing <see cref="TryRemove"/> takes is in exactly one of the two results. Addresses added while the call runs
    /// may or may not be included; the generated code calls it only once no call can add any.
    /// </remarks>
    /// <returns>The addresses removed; empty when the set was empty.</returns>
    public nint[] RemoveAll()
    {
        var removed = new List<nint>();
        while (true)
        {
            Table table = CurrentTable();
            if (!table.RemoveAllKeys(removed) && Volatile.Read(ref table.Migration) is null)
            {
                return removed.ToArray();
            }

            // A resize froze keys of this table before they were taken: they live on in its successor, where the next
            // pass takes them (the keys taken here became tombstones, which a resize does not carry).
        }
    }

    /// <summary>Deletes or finds <paramref name="address"/> in the newest table, following any resize it meets.</summary>
    private Outcome Probe(nint address, bool delete)
    {
        long key = SlotValue.FromAddress(address);
        if (!SlotValue.IsKey(key))
        {
            return Outcome.Absent;
        }

        Table table = Volatile.Read(ref _table);
        while (true)
        {
            if (Volatile.Read(ref table.Migration) is not null)
            {
                table = HelpMigration(table);
                continue;
            }

            Outcome outcome = delete ? table.TryDelete(key) : table.Find(key);
            if (outcome != Outcome.Moved)
            {
                return outcome;
            }

            table = HelpMigration(table);
        }
    }

    /// <summary>The newest table, after helping any resize in progress to its end.</summary>
    private Table CurrentTable()
    {
        Table table = Volatile.Read(ref _table);
        while (Volatile.Read(ref table.Migration) is not null)
        {
            table = HelpMigration(table);
        }

        return table;
    }

    /// <summary>What a table operation found.</summary>
    private enum Outcome
    {
        /// <summary>Inserted or deleted.</summary>
        Done,

        /// <summary>Inserted, and the table has used up its free slots: it must grow.</summary>
        DoneAndFull,

        /// <summary>The key is in the table.</summary>
        Present,

        /// <summary>The key is not in the table.</summary>
        Absent,

        /// <summary>A compare-and-swap lost to another thread; look again.</summary>
        Contended,

        /// <summary>No slot left to insert into.</summary>
        NoRoom,

        /// <summary>The probe met a slot a resize has moved: continue in the new table.</summary>
        Moved,
    }
}
