using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy;

/// <summary>
/// zlib's custom allocator — <c>z_stream.zalloc</c>, <c>zfree</c> and <c>opaque</c> — served by a strategy's C vtable,
/// so every byte zlib allocates for a stream comes from the strategy and goes back to it.
/// </summary>
/// <remarks>
/// <para>
/// Set the three fields before <c>deflateInit</c>/<c>inflateInit</c>:
/// <c>zalloc = ZlibAllocator.Alloc</c>, <c>zfree = ZlibAllocator.Free</c>, <c>opaque = handle.Pointer</c> (a
/// <see cref="NativeStrategyHandle"/> from a generated strategy's <c>CreateNativeHandle()</c>; any
/// <c>MemoryStrategy*</c> works, one written in C included). Keep the handle alive and undisposed until
/// <c>deflateEnd</c>/<c>inflateEnd</c> has returned: zlib frees its state there.
/// </para>
/// <para>
/// The two functions only translate zlib's signatures to the C interface's: <c>zalloc(opaque, items, size)</c> calls
/// <c>opaque-&gt;allocate(opaque, items * size)</c> (the product is computed in 64 bits, so it cannot overflow), and
/// <c>zfree(opaque, address)</c> calls <c>opaque-&gt;deallocate(opaque, address)</c>. A refusal reaches zlib as a null
/// block, which it reports as <c>Z_MEM_ERROR</c>; nothing throws into C. A disposed handle refuses every call, so
/// zlib fails cleanly rather than crashing.
/// </para>
/// </remarks>
public static unsafe class ZlibAllocator
{
    /// <summary>zlib's <c>alloc_func</c>: <c>voidpf (*)(voidpf opaque, uInt items, uInt size)</c>.</summary>
    public static delegate* unmanaged[Cdecl]<void*, uint, uint, void*> Alloc => &Allocate;

    /// <summary>zlib's <c>free_func</c>: <c>void (*)(voidpf opaque, voidpf address)</c>.</summary>
    public static delegate* unmanaged[Cdecl]<void*, void*, void> Free => &Deallocate;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void* Allocate(void* opaque, uint items, uint size)
    {
        var strategy = (NativeMemoryStrategy*)opaque;
        ulong bytes = (ulong)items * size;
        if (strategy is null || bytes > nuint.MaxValue)
        {
            return null;
        }

        return strategy->Allocate(strategy, (nuint)bytes);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Deallocate(void* opaque, void* address)
    {
        var strategy = (NativeMemoryStrategy*)opaque;
        if (strategy is not null)
        {
            strategy->Deallocate(strategy, address);
        }
    }
}
