using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// The arena's native memory: the region it hands out and one bit per alignment unit that marks where a live block
/// starts. A separate object with a finalizer, so an arena collected without <c>Dispose</c> still returns both (the
/// arena's generated code has no finalizer of its own), and so the finalizer runs only on memory nothing can reach.
/// </summary>
/// <remarks>
/// The start bits make frees exact: a block's bit is set (atomically) before its pointer is returned and cleared
/// (atomically) by its one successful free, so a double free, an interior pointer and a pointer past the used range
/// all find a clear bit and are refused — two racing frees of one block included, since only one of the atomic
/// clears sees the bit set. The bitmap costs 1/128 of the region at 16-byte alignment (capacity / alignment / 8 bytes).
/// </remarks>
internal sealed unsafe class ArenaRegion : IDisposable
{
    /// <summary>Native bytes held by every region not yet released, in this process: what a leak test counts.</summary>
    private static long s_liveBytes;

    private readonly nuint _bytes;
    private readonly int _alignmentShift;
    private byte* _start;
    private long* _starts;
    private int _released;

    public ArenaRegion(nuint capacity, nuint alignment)
    {
        _alignmentShift = System.Numerics.BitOperations.TrailingZeroCount(alignment);
        nuint units = (capacity + alignment - 1) >> _alignmentShift;
        nuint words = (units + 63) / 64;
        _start = (byte*)NativeMemory.AlignedAlloc(capacity, alignment);
        _starts = (long*)NativeMemory.AllocZeroed(words, sizeof(long));
        _bytes = capacity + words * sizeof(long);

        // Interlocked: regions are created and released by any thread; the counter is read only by tests.
        Interlocked.Add(ref s_liveBytes, (long)_bytes);
    }

    /// <summary>Native bytes held by every arena region of this process that has not been released yet.</summary>
    public static long LiveBytes => Interlocked.Read(ref s_liveBytes);

    /// <summary>The region's first byte.</summary>
    public byte* Start => _start;

    /// <summary>Marks the block that starts at <paramref name="offset"/> live; called once per allocation, before the pointer leaves the arena.</summary>
    public void MarkLive(long offset)
    {
        long unit = offset >> _alignmentShift;

        // Atomic OR: other threads set other bits of the same word at the same time. A full fence, so the bit is
        // visible to whichever thread receives the pointer through any synchronisation that hands it over.
        Interlocked.Or(ref _starts[unit >> 6], 1L << (int)(unit & 63));
    }

    /// <summary>
    /// Clears the live bit of the block that starts at <paramref name="offset"/> (an aligned offset inside the region)
    /// and returns whether it was set: exactly one of any number of frees of one block, racing or not, returns true.
    /// </summary>
    public bool TryMarkFree(long offset)
    {
        long unit = offset >> _alignmentShift;
        long bit = 1L << (int)(unit & 63);

        // Atomic AND returns the word before the clear: the one free that saw the bit set wins.
        return (Interlocked.And(ref _starts[unit >> 6], ~bit) & bit) != 0;
    }

    /// <summary>Whether a live block starts at <paramref name="offset"/> (an aligned offset inside the region).</summary>
    public bool IsLive(long offset)
    {
        long unit = offset >> _alignmentShift;

        // Volatile.Read: a racing reader sees the word before or after another thread's atomic update, never torn.
        return (Volatile.Read(ref _starts[unit >> 6]) & (1L << (int)(unit & 63))) != 0;
    }

    /// <summary>Frees the region and the bitmap; idempotent. Called by the arena's cleanup, or by the finalizer.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    ~ArenaRegion() => Release();

    private void Release()
    {
        // The exchange makes the release happen once, whether Dispose and the finalizer race or Dispose runs twice.
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        NativeMemory.AlignedFree(_start);
        NativeMemory.Free(_starts);
        _start = null;
        _starts = null;
        Interlocked.Add(ref s_liveBytes, -(long)_bytes);
    }
}
