namespace MemoryStrategy.Testing;

/// <summary>
/// Fills a block over its whole length with who holds it (thread and sequence number) and checks it before the block is
/// freed: two holders of one block, or two blocks that overlap, overwrite each other's stamp. Whole 64-bit words
/// carry the full stamp; the tail bytes carry its low byte. Both passes are vectorised span operations, so stamping
/// megabytes per second per thread stays cheap.
/// </summary>
internal static unsafe class Stamp
{
    public static long Of(int thread, long sequence) => ((long)(thread + 1) << 40) | sequence;

    public static void Write(nint block, nuint size, long stamp)
    {
        nuint words = size / sizeof(long);
        new Span<long>((void*)block, (int)words).Fill(stamp);
        new Span<byte>((byte*)block + (words * sizeof(long)), (int)(size % sizeof(long))).Fill((byte)stamp);
    }

    /// <summary>Null when the stamp is intact, else where and what it found instead.</summary>
    public static string? Check(nint block, nuint size, long stamp)
    {
        nuint words = size / sizeof(long);
        var whole = new ReadOnlySpan<long>((void*)block, (int)words);
        int word = whole.IndexOfAnyExcept(stamp);
        if (word >= 0)
        {
            return $"block 0x{block:x} ({size} B) word {word}: 0x{whole[word]:x}, expected 0x{stamp:x}";
        }

        var tail = new ReadOnlySpan<byte>((byte*)block + (words * sizeof(long)), (int)(size % sizeof(long)));
        int at = tail.IndexOfAnyExcept((byte)stamp);
        return at < 0 ? null : $"block 0x{block:x} ({size} B) tail byte {at}: 0x{tail[at]:x2}, expected 0x{(byte)stamp:x2}";
    }
}
