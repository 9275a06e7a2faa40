using System;
using System.Threading;

namespace MemoryStrategy;

public sealed partial class LivePointerRegistry
{
    /// <summary>Starts a resize out of <paramref name="table"/> unless one has started already.</summary>
    private static void StartMigration(Table table)
    {
        if (Volatile.Read(ref table.Migration) is not null)
        {
            return;
        }

        // Size the new table from the live keys: double when more than a quarter of the slots hold keys, else the same
        // size (the resize then only clears tombstones). Either way it holds every key the old table can hold, and
        // starts at most half full.
        int live = table.CountLive();
        int length = (long)live * 4 > table.Length ? checked(table.Length * 2) : table.Length;
        var migration = new Migration(table, Table.CreateFilling(length));

        // Publishes the fully built migration (a full fence); if another thread won, its migration is the one.
        Interlocked.CompareExchange(ref table.Migration, migration, null);
    }

    /// <summary>
    /// Helps the resize out of <paramref name="table"/> to its end, makes its successor the registry's table, and
    /// returns the successor.
    /// </summary>
    private Table HelpMigration(Table table)
    {
        Migration migration = Volatile.Read(ref table.Migration)!;
        migration.Help();

        // Operations that start later begin on the successor. Losing this CAS means another helper already advanced it.
        Interlocked.CompareExchange(ref _table, migration.Target, table);
        return migration.Target;
    }

    /// <summary>
    /// Moves every slot of a full table into a new one, cooperatively and without blocking anyone.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Phase 1 moves the source: each slot is frozen (a key gets the freeze bit, which makes every remover's CAS on it
    /// fail), its key copied into the target, and the slot marked <see cref="SlotValue.Moved"/>. Free slots and
    /// tombstones go straight to Moved, so a late insert into them fails and retries in the target. Every step is a CAS
    /// from a state any thread can read, so any thread can finish any slot: nobody waits for anybody.
    /// </para>
    /// <para>
    /// Phase 2 opens the target: every <see cref="SlotValue.FillingFree"/> slot becomes <see cref="SlotValue.Free"/>.
    /// A helper that copied a key late (after another finished the slot) then finds no filling slot, so it cannot put
    /// back a key that was moved and since removed.
    /// </para>
    /// <para>
    /// Work is handed out in chunks through a shared cursor. When the cursor is exhausted but some chunk is not done (its
    /// thread is slow or preempted), the helper redoes the whole phase itself: every step is idempotent, so repeating it
    /// is harmless, and no thread ever waits for another. Operations reach the target only after phase 2 completed.
    /// </para>
    /// </remarks>
    private sealed class Migration
    {
        private const int ChunkLength = 512;

        private readonly Table _source;
        private readonly Phase _move;
        private readonly Phase _open;

        public Migration(Table source, Table target)
        {
            _source = source;
            Target = target;
            _move = new Phase(ChunksOf(source.Length));
            _open = new Phase(ChunksOf(target.Length));
        }

        public Table Target { get; }

        /// <summary>Returns once both phases are complete (done here or by other threads).</summary>
        public void Help()
        {
            if (_open.IsComplete)
            {
                return;
            }

            Run(_move, _source.Length, moving: true);
            Run(_open, Target.Length, moving: false);
        }

        private void Run(Phase phase, int length, bool moving)
        {
            while (!phase.IsComplete)
            {
                // Claims one chunk; Interlocked.Increment hands each index to exactly one thread.
                int chunk = Interlocked.Increment(ref phase.NextChunk) - 1;
                if (chunk >= phase.ChunkCount)
                {
                    // Every chunk is claimed. If one is still in progress, do the whole phase here rather than wait.
                    if (Volatile.Read(ref phase.ChunksDone) < phase.ChunkCount)
                    {
                        Process(0, length, moving);
                    }

                    phase.Complete();
                    return;
                }

                int start = chunk * ChunkLength;
                Process(start, Math.Min(start + ChunkLength, length), moving);

                // The last chunk's thread completes the phase. Interlocked.Increment is a full fence: the chunk's CASes are
                // visible to whoever sees the count.
                if (Interlocked.Increment(ref phase.ChunksDone) == phase.ChunkCount)
                {
                    phase.Complete();
                }
            }
        }

        private static int ChunksOf(int length) => (length + ChunkLength - 1) / ChunkLength;

        private void Process(int start, int end, bool moving)
        {
            for (int index = start; index < end; index++)
            {
                if (moving)
                {
                    MoveSlot(ref _source.Slots[index]);
                }
                else
                {
                    // CAS, not a plain store: a helper that read FillingFree long ago must not overwrite a key that an
                    // operation stored after the table opened.
                    Interlocked.CompareExchange(ref Target.Slots[index], SlotValue.Free, SlotValue.FillingFree);
                }
            }
        }

        /// <summary>Brings one source slot to <see cref="SlotValue.Moved"/>, copying its key first if it holds one.</summary>
        private void MoveSlot(ref long slot)
        {
            while (true)
            {
                long value = Volatile.Read(ref slot);
                if (value == SlotValue.Moved)
                {
                    return;
                }

                if (value == SlotValue.Free || value == SlotValue.Tombstone)
                {
                    // Nothing to copy. A racing insert into this slot either lands first (and the loop then moves its key)
                    // or finds Moved and retries in the target.
                    if (Interlocked.CompareExchange(ref slot, SlotValue.Moved, value) == value)
                    {
                        return;
                    }

                    continue;
                }

                long frozen = value;
                if (SlotValue.IsKey(value))
                {
                    // Freeze: from here on no remover can take the key out of this slot, and it stays readable to every
                    // helper. A racing remover that wins first leaves a tombstone, and the loop moves that instead.
                    frozen = SlotValue.Freeze(value);
                    if (Interlocked.CompareExchange(ref slot, frozen, value) != value)
                    {
                        continue;
                    }
                }

                Target.Copy(SlotValue.Thaw(frozen));

                // Frozen can only become Moved; a failed CAS means another helper finished this slot.
                Interlocked.CompareExchange(ref slot, SlotValue.Moved, frozen);
                return;
            }
        }

        /// <summary>One phase's shared progress.</summary>
        private sealed class Phase
        {
            public readonly int ChunkCount;
            public int NextChunk;
            public int ChunksDone;
            private int _complete;

            public Phase(int chunkCount) => ChunkCount = chunkCount;

            public bool IsComplete => Volatile.Read(ref _complete) != 0;

            /// <summary>Release: whoever reads the flag also sees every slot the phase wrote.</summary>
            public void Complete() => Volatile.Write(ref _complete, 1);
        }
    }
}
