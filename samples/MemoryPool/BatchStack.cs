using System.Runtime.CompilerServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// The pool's shared free list: a lock-free (Treiber) stack whose nodes are whole batches of free blocks, so one
/// compare-and-swap moves a thread cache's worth of blocks in or out.
/// </summary>
/// <remarks>
/// The head is one 64-bit word: the high 32 bits are a tag that every successful push and pop increments, the
/// low 32 bits are the index of the top batch's first block plus one (0 means empty). A batch's blocks are chained
/// through <see cref="BlockLink.Next"/>; the batches through <see cref="BlockLink.NextBatch"/> of their first block.
/// </remarks>
internal sealed unsafe class BatchStack
{
    private const int Empty = -1;

    private readonly BlockLink* _links;

    /// <summary>The tagged head, alone in its cache line: it is the one word every thread of the pool may CAS.</summary>
    private PaddedLong _head;

    public BatchStack(BlockLink* links) => _links = links;

    /// <summary>The first block of the top batch, or -1; a snapshot, for invariant checks.</summary>
    public int TopIndex => IndexOf(Volatile.Read(ref _head.Value));

    /// <summary>Whether the stack holds no batch now (an acquire read of the head; a snapshot).</summary>
    public bool IsEmpty => IndexOf(Volatile.Read(ref _head.Value)) == Empty;

    /// <summary>Pushes the batch that starts at <paramref name="first"/> (already chained through <see cref="BlockLink.Next"/>).</summary>
    public void Push(int first)
    {
        long head = Volatile.Read(ref _head.Value);
        while (true)
        {
            // The batch is still private to this thread until the CAS succeeds, so this plain store races with
            // nothing. The CAS is a full fence: it publishes this link, and the batch's inner links written
            // before the call, to whichever thread later pops the batch (its CAS reads this head or a later one).
            _links[first].NextBatch = IndexOf(head);
            long seen = Interlocked.CompareExchange(ref _head.Value, Pack(TagOf(head) + 1, first), head);
            if (seen == head)
            {
                return;
            }

            head = seen;
        }
    }

    /// <summary>Pops the top batch and returns its first block, or -1 when the stack is empty.</summary>
    public int TryPop()
    {
        // Volatile.Read (acquire): the links of the batch we are about to read were published before this head.
        long head = Volatile.Read(ref _head.Value);
        while (true)
        {
            int first = IndexOf(head);
            if (first == Empty)
            {
                return Empty;
            }

            // If another thread pops this batch (and perhaps pushes it back on top of a different one) between
            // our read of the head and our CAS, this link may be stale. The tag has moved on in that case, so
            // the CAS fails and the stale link is never installed: that is the ABA defence. A 32-bit tag could
            // only be fooled by a thread stalled here across exactly 2^32 updates of the head.
            int next = Volatile.Read(ref _links[first].NextBatch);
            long seen = Interlocked.CompareExchange(ref _head.Value, Pack(TagOf(head) + 1, next), head);
            if (seen == head)
            {
                // The CAS (a full fence) read a head written by the push of this batch or a later update:
                // the batch's links are visible and the batch now belongs to this thread alone.
                return first;
            }

            head = seen;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Pack(uint tag, int first) => (long)((ulong)tag << 32 | (uint)(first + 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint TagOf(long head) => (uint)((ulong)head >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOf(long head) => (int)(uint)head - 1;
}
