using System.Runtime.InteropServices;

namespace MemoryStrategy.Runtime.Tests;

/// <summary>zlib's <c>z_stream</c> on a 64-bit Unix (LP64: <c>uLong</c> is 64 bits), zlib 1.2.x.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZStream
{
    public byte* NextIn;
    public uint AvailIn;
    public nuint TotalIn;
    public byte* NextOut;
    public uint AvailOut;
    public nuint TotalOut;
    public byte* Msg;
    public void* State;
    public delegate* unmanaged[Cdecl]<void*, uint, uint, void*> ZAlloc;
    public delegate* unmanaged[Cdecl]<void*, void*, void> ZFree;
    public void* Opaque;
    public int DataType;
    public nuint Adler;
    public nuint Reserved;
}

/// <summary>The few zlib entry points the tests need, bound from <c>libz.so.1</c> with <see cref="NativeLibrary"/>.</summary>
internal static unsafe class Zlib
{
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int MemoryError = -4;
    public const int Finish = 4;
    public const int BestCompression = 9;

    private static readonly nint s_library = NativeLibrary.Load("libz.so.1");

    private static readonly delegate* unmanaged[Cdecl]<byte*> s_zlibVersion = (delegate* unmanaged[Cdecl]<byte*>)Export("zlibVersion");
    private static readonly delegate* unmanaged[Cdecl]<ZStream*, int, byte*, int, int> s_deflateInit = (delegate* unmanaged[Cdecl]<ZStream*, int, byte*, int, int>)Export("deflateInit_");
    private static readonly delegate* unmanaged[Cdecl]<ZStream*, int, int> s_deflate = (delegate* unmanaged[Cdecl]<ZStream*, int, int>)Export("deflate");
    private static readonly delegate* unmanaged[Cdecl]<ZStream*, int> s_deflateEnd = (delegate* unmanaged[Cdecl]<ZStream*, int>)Export("deflateEnd");
    private static readonly delegate* unmanaged[Cdecl]<ZStream*, byte*, int, int> s_inflateInit = (delegate* unmanaged[Cdecl]<ZStream*, byte*, int, int>)Export("inflateInit_");
    private static readonly delegate* unmanaged[Cdecl]<ZStream*, int, int> s_inflate = (delegate* unmanaged[Cdecl]<ZStream*, int, int>)Export("inflate");
    private static readonly delegate* unmanaged[Cdecl]<ZStream*, int> s_inflateEnd = (delegate* unmanaged[Cdecl]<ZStream*, int>)Export("inflateEnd");

    /// <summary><c>deflateInit(stream, 9)</c>: its result code (<see cref="MemoryError"/> when an allocation failed).</summary>
    public static int DeflateInit(ZStream* stream) => s_deflateInit(stream, BestCompression, s_zlibVersion(), sizeof(ZStream));

    /// <summary>Compresses <paramref name="input"/> in one call, with the allocator already set on <paramref name="stream"/>.</summary>
    public static byte[] Deflate(ZStream* stream, ReadOnlySpan<byte> input)
    {
        byte[] output = new byte[input.Length + (input.Length / 1000) + 64];
        Check(DeflateInit(stream), "deflateInit_");
        fixed (byte* source = input)
        fixed (byte* target = output)
        {
            stream->NextIn = source;
            stream->AvailIn = (uint)input.Length;
            stream->NextOut = target;
            stream->AvailOut = (uint)output.Length;
            Check(s_deflate(stream, Finish), "deflate", StreamEnd);
        }

        int written = (int)stream->TotalOut;
        Check(s_deflateEnd(stream), "deflateEnd");
        return output[..written];
    }

    /// <summary>Decompresses <paramref name="input"/> into exactly <paramref name="length"/> bytes.</summary>
    public static byte[] Inflate(ZStream* stream, ReadOnlySpan<byte> input, int length)
    {
        byte[] output = new byte[length];
        fixed (byte* source = input)
        fixed (byte* target = output)
        {
            stream->NextIn = source;
            stream->AvailIn = (uint)input.Length;
            Check(s_inflateInit(stream, s_zlibVersion(), sizeof(ZStream)), "inflateInit_");
            stream->NextOut = target;
            stream->AvailOut = (uint)output.Length;
            Check(s_inflate(stream, Finish), "inflate", StreamEnd);
        }

        Check(s_inflateEnd(stream), "inflateEnd");
        return output;
    }

    private static void* Export(string name) => (void*)NativeLibrary.GetExport(s_library, name);

    private static void Check(int result, string call, int expected = Ok)
    {
        if (result != expected)
        {
            throw new InvalidOperationException($"zlib {call} returned {result}, expected {expected}.");
        }
    }
}
