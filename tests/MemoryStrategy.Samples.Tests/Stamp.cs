namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// Fills a block over its whole length with one 64-bit value (owner and sequence number) and checks it later: two
/// holders of one block, or overlapping blocks, overwrite each other's stamp and fail the check.
/// </summary>
internal static unsafe class Stamp
{
    public static long Of(int owner, long sequence) => (long)owner << 40 | sequence;

    public static void Write(void* block, nuint size, long stamp)
    {
        new Span<byte>(block, (int)size).Fill((byte)stamp);
        for (nuint i = 0; i + sizeof(long) <= size; i += sizeof(long))
        {
            *(long*)((byte*)block + i) = stamp;
        }
    }

    public static void Check(void* block, nuint size, long stamp)
    {
        nuint whole = size / sizeof(long) * sizeof(long);
        for (nuint i = 0; i < whole; i += sizeof(long))
        {
            long seen = *(long*)((byte*)block + i);
            if (seen != stamp)
            {
                throw new InvalidOperationException($"block 0x{(nint)block:x} at +{i}: stamp 0x{seen:x}, expected 0x{stamp:x}");
            }
        }

        for (nuint i = whole; i < size; i++)
        {
            if (((byte*)block)[i] != (byte)stamp)
            {
                throw new InvalidOperationException($"block 0x{(nint)block:x} at +{i}: tail byte differs from stamp 0x{stamp:x}");
            }
        }
    }
}
