using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MemoryStrategy;

public sealed partial class LivePointerRegistry
{
    /// <summary>
    /// One open-addressing table. A key lives in the first free-or-tombstone slot of its probe sequence at the time it
    /// was added; slots never return to <see cref="SlotValue.Free"/>, so a probe that meets a free slot has seen every
    /// slot the key could occupy.
    /// </summary>
    private sealed class Table
    {
        private const int MinimumLength = 16;

        /// <summary>The largest table: 2^30 slots (8 GiB).</summary>
        public const int MaximumLength = 1 << 30;

        /// <summary>Fibonacci hashing: block addresses are aligned, so their low bits are poor hash bits.</summary>
        private const ulong HashMultiplier = 0x9E3779B97F4A7C15UL;

        public readonly long[] Slots;
        private readonly int _mask;
        private readonly int _shift;
        private readonly int _growAt;

        /// <summary>Slots that have left <see cref="SlotValue.Free"/>: keys plus tombstones. Past half the table, it grows.</summary>
        private int _usedSlots;

        /// <summary>The resize out of this table; set once (by CAS) and never cleared.</summary>
        public Migration? Migration;

        private Table(int length)
        {
            Slots = new long[length];
            _mask = length - 1;
            _shift = 64 - BitOperations.Log2((uint)length);
            _growAt = length / 2;
        }

        public int Length => Slots.Length;

        /// <summary>A table that operations may use at once: every slot <see cref="SlotValue.Free"/>.</summary>
        public static Table CreateOpen(int capacity)
        {
            var table = new Table(RoundUp(capacity));
            Array.Fill(table.Slots, SlotValue.Free);
            return table;
        }

        /// <summary>A table for a resize to fill: every slot <see cref="SlotValue.FillingFree"/> until the resize opens it.</summary>
        public static Table CreateFilling(int length) => new(RoundUp(length));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Home(long key) => (int)(((ulong)key * HashMultiplier) >> _shift);

        /// <summary>Inserts <paramref name="key"/> into the first tombstone or free slot of its probe sequence.</summary>
        public Outcome TryInsert(long key)
        {
            int index = Home(key);
            int target = -1;
            long expected = 0;
            for (int probe = 0; probe < Slots.Length; probe++, index = (index + 1) & _mask)
            {
                // Acquire: a Moved value read here implies the Migration that wrote it is visible.
                long value = Volatile.Read(ref Slots[index]);
                if (value == key || value == SlotValue.Freeze(key))
                {
                    return Outcome.Present;
                }

                if (value == SlotValue.Moved)
                {
                    return Outcome.Moved;
                }

                if (value == SlotValue.Tombstone && target < 0)
                {
                    (target, expected) = (index, value);
                }
                else if (value == SlotValue.Free)
                {
                    // The end of the chain: the key is nowhere further, so it is absent; insert at the first hole seen.
                    if (target < 0)
                    {
                        (target, expected) = (index, value);
                    }

                    break;
                }
            }

            if (target < 0)
            {
                return Outcome.NoRoom;
            }

            // The linearization point: one CAS makes the key live. It fails if another insert took the slot or a resize
            // moved it (the scan then starts over). A full fence, like every Interlocked operation.
            if (Interlocked.CompareExchange(ref Slots[target], key, expected) != expected)
            {
                return Outcome.Contended;
            }

            if (expected == SlotValue.Free && Interlocked.Increment(ref _usedSlots) > _growAt)
            {
                return Outcome.DoneAndFull;
            }

            return Outcome.Done;
        }

        /// <summary>Turns <paramref name="key"/>'s slot into a tombstone.</summary>
        public Outcome TryDelete(long key)
        {
            int index = Home(key);
            for (int probe = 0; probe < Slots.Length; probe++, index = (index + 1) & _mask)
            {
                long value = Volatile.Read(ref Slots[index]);
                if (value == key)
                {
                    // The linearization point. Of two threads removing the same key, one CAS succeeds; the other sees a
                    // tombstone (or a key added since) and reports the key absent. If a resize froze the key first, the
                    // CAS fails and the removal continues in the new table.
                    long seen = Interlocked.CompareExchange(ref Slots[index], SlotValue.Tombstone, key);
                    if (seen == key)
                    {
                        return Outcome.Done;
                    }

                    return seen == SlotValue.Freeze(key) || seen == SlotValue.Moved ? Outcome.Moved : Outcome.Absent;
                }

                if (value == SlotValue.Free)
                {
                    return Outcome.Absent;
                }

                if (value == SlotValue.Freeze(key) || value == SlotValue.Moved)
                {
                    return Outcome.Moved;
                }
            }

            return Outcome.Absent;
        }

        /// <summary>Looks <paramref name="key"/> up; a frozen key is still present (it is only being moved).</summary>
        public Outcome Find(long key)
        {
            int index = Home(key);
            for (int probe = 0; probe < Slots.Length; probe++, index = (index + 1) & _mask)
            {
                long value = Volatile.Read(ref Slots[index]);
                if (value == key || value == SlotValue.Freeze(key))
                {
                    return Outcome.Present;
                }

                if (value == SlotValue.Free)
                {
                    return Outcome.Absent;
                }

                if (value == SlotValue.Moved)
                {
                    return Outcome.Moved;
                }
            }

            return Outcome.Absent;
        }

        /// <summary>
        /// Copies a frozen key into this table while a resize fills it: insert if absent, at the first
        /// <see cref="SlotValue.FillingFree"/> slot. While the table fills nothing is ever removed from it, so every
        /// thread copying the same key walks the same chain and the first CAS wins: the key lands once. A copy that
        /// comes after the table opened finds no filling slot and does nothing.
        /// </summary>
        public void Copy(long key)
        {
            int index = Home(key);
            for (int probe = 0; probe < Slots.Length; probe++, index = (index + 1) & _mask)
            {
                long value = Volatile.Read(ref Slots[index]);
                if (value == key)
                {
                    return;
                }

                if (value == SlotValue.FillingFree)
                {
                    long seen = Interlocked.CompareExchange(ref Slots[index], key, SlotValue.FillingFree);
                    if (seen == SlotValue.FillingFree)
                    {
                        Interlocked.Increment(ref _usedSlots);
                        return;
                    }

                    if (seen == key)
                    {
                        return;
                    }
                }
            }
        }

        /// <summary>
        /// Turns every key of this table into a tombstone and adds its address to <paramref name="removed"/>. Returns
        /// whether it met a key that a resize had frozen or moved (those are the successor table's to give).
        /// </summary>
        public bool RemoveAllKeys(List<nint> removed)
        {
            bool moved = false;
            for (int index = 0; index < Slots.Length; index++)
            {
                long value = Volatile.Read(ref Slots[index]);
                if (SlotValue.IsKey(value))
                {
                    // The same linearization point as TryDelete's: of this CAS and a racing removal one wins; a resize
                    // that froze the key first makes it fail, and the key is taken from the successor.
                    long seen = Interlocked.CompareExchange(ref Slots[index], SlotValue.Tombstone, value);
                    if (seen == value)
                    {
                        removed.Add((nint)(nuint)(ulong)value);
                    }
                    else if (seen == SlotValue.Freeze(value) || seen == SlotValue.Moved)
                    {
                        moved = true;
                    }
                }
                else if (SlotValue.IsFrozenKey(value) || value == SlotValue.Moved)
                {
                    moved = true;
                }
            }

            return moved;
        }

        /// <summary>Keys and frozen keys: the addresses this table holds.</summary>
        public int CountLive()
        {
            int count = 0;
            foreach (long value in Slots)
            {
                if (SlotValue.IsKey(value) || SlotValue.IsFrozenKey(value))
                {
                    count++;
                }
            }

            return count;
        }

        private static int RoundUp(int capacity) =>
            (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(capacity, MinimumLength, MaximumLength));
    }
}
