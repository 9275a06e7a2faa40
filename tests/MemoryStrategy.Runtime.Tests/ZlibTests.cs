namespace MemoryStrategy.Runtime.Tests;

public unsafe class ZlibTests
{
    [Fact]
    public void The_test_binding_round_trips_with_zlibs_own_allocator()
    {
        byte[] input = Compressible(200_000);
        ZStream stream = default;

        byte[] compressed = Zlib.Deflate(&stream, input);
        stream = default;
        byte[] restored = Zlib.Inflate(&stream, compressed, input.Length);

        Assert.True(compressed.Length < input.Length / 2);
        Assert.Equal(input, restored);
    }

    /// <summary>Text-like bytes: random words from a small alphabet, so deflate has something to find.</summary>
    internal static byte[] Compressible(int length)
    {
        var random = new Random(31337);
        byte[] bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = random.Next(6) == 0 ? (byte)' ' : (byte)('a' + random.Next(8));
        }

        return bytes;
    }
}
