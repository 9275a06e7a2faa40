using System;
using System.Collections.Concurrent;
using System.ComponentModel;

namespace MemoryStrategy;

/// <summary>
/// The debug option <c>[MemoryStrategy(PoisonFreedMemory = true)]</c>: the generated <c>Deallocate</c> fills each block
/// with <see cref="Pattern"/> before the core takes it back, and the generated <c>Allocate</c> checks the pattern when
/// the core hands the block out again, so a write through a dangling pointer is caught at the next allocation of that
/// block (as mimalloc's debug mode and debug C runtimes do).
/// </summary>
/// <remarks>
/// <para>
/// For generated code: hidden from IntelliSense, since only the generated members of a strategy with
/// <c>PoisonFreedMemory</c> hold one.
/// </para>
/// <para>
/// Thread-safe: the tables are concurrent dictionaries, and the ordering between the poisoning thread and the thread
/// the block is handed to next comes from the strategy itself (a core can hand a block out again only after it was
/// given back, through its own synchronisation, which then also carries the poison bytes).
/// </para>
/// <para>
/// The check covers the shorter of the block's last requested size and the new one, so it never reads past either.
/// It can only be exact for a core that keeps its bookkeeping outside freed blocks: an allocator that stores links in
/// freed memory (the C heap does) overwrites the poison itself.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed unsafe class FreedMemoryPoison
{
    /// <summary>The byte freed blocks are filled with (the value mimalloc's debug mode uses).</summary>
    public const byte Pattern = 0xDF;

    /// <summary>Live blocks handed out by the strategy, with their requested size: what a free has to poison.</summary>
    private readonly ConcurrentDictionary<nint, nuint> _live = new();

    /// <summary>Freed blocks and the length poisoned in each: what the next allocation of the block checks.</summary>
    private readonly ConcurrentDictionary<nint, nuint> _poisoned = new();

    /// <summary>
    /// Called with each block the core hands out: checks the poison the block was freed with, if it was, and records its
    /// size for the next free.
    /// </summary>
    /// <param name="block">The block the core returned.</param>
    /// <param name="size">The size requested.</param>
    /// <exception cref="WriteAfterFreeException">The poison was overwritten: the block was written after it was freed.</exception>
    public void CheckAndTrack(void* block, nuint size)
    {
        if (_poisoned.TryRemove((nint)block, out nuint poisoned) && FindDamage((byte*)block, Math.Min(poisoned, size)) is long offset)
        {
            throw new WriteAfterFreeException((nint)block, offset, ((byte*)block)[offset]);
        }

        _live[(nint)block] = size;
    }

    /// <summary>Called with each block before the core takes it back: fills it with <see cref="Pattern"/>.</summary>
    /// <param name="block">The block being freed (its ownership already checked).</param>
    public void Poison(void* block)
    {
        if (_live.TryRemove((nint)block, out nuint size))
        {
            for (nuint done = 0; done < size;)
            {
                int chunk = (int)Math.Min(size - done, int.MaxValue);
                new Span<byte>((byte*)block + done, chunk).Fill(Pattern);
                done += (nuint)chunk;
            }

            _poisoned[(nint)block] = size;
        }
    }

    private static long? FindDamage(byte* block, nuint length)
    {
        for (nuint done = 0; done < length;)
        {
            int chunk = (int)Math.Min(length - done, int.MaxValue);
            int at = new ReadOnlySpan<byte>(block + done, chunk).IndexOfAnyExcept(Pattern);
            if (at >= 0)
            {
                return (long)done + at;
            }

            done += (nuint)chunk;
        }

        return null;
    }
}
