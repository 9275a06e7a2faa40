using System.Numerics;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// One block of address space holding every class's slab, each in a region of the same power-of-two size, so the
/// class that owns a pointer is <c>(ptr - start) &gt;&gt; shift</c>: one subtraction, one shift, one comparison.
/// </summary>
/// <remarks>
/// The memory is reserved with one <see cref="NativeMemory.AlignedAlloc"/>, which the C runtime serves from
/// <c>mmap</c> at this size: pages are committed only when a block on them is first written, so the default
/// reservation (352 MiB of address space) costs little resident memory until used. It is freed by
/// <see cref="Dispose"/>, or by the finalizer when the pool that owns it was never disposed (nothing can reach the
/// class pools then either: only the pool holds them).
/// </remarks>
internal sealed unsafe class ClassReservation : IDisposable
{
    /// <summary>The reservation's address; 0 once freed.</summary>
    private nint _start;

    /// <summary>Reserves <paramref name="regions"/> regions of at least <paramref name="regionBytes"/> bytes each.</summary>
    public ClassReservation(int regions, nuint regionBytes)
    {
        // Page-sized at least, so every region starts on a page (and so on a cache line, as the pools require).
        Shift = Math.Max(12, BitOperations.Log2(BitOperations.RoundUpToPowerOf2((ulong)regionBytes)));
        Bytes = checked((nuint)regions << Shift);
        _start = (nint)NativeMemory.AlignedAlloc(Bytes, 4096);
    }

    /// <summary>The first byte of region 0.</summary>
    public byte* Start => (byte*)_start;

    /// <summary>Region <c>i</c> starts at <c>Start + (i &lt;&lt; Shift)</c>.</summary>
    public int Shift { get; }

    /// <summary>The bytes reserved.</summary>
    public nuint Bytes { get; }

    /// <summary>The start of region <paramref name="index"/>.</summary>
    public byte* Region(int index) => Start + ((nuint)index << Shift);

    /// <summary>Frees the reservation. Only after every pool in it is disposed.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    ~ClassReservation() => Release();

    private void Release()
    {
        // Exchange, so a second Dispose frees nothing (a full fence; nothing else is ordered by it).
        NativeMemory.AlignedFree((void*)Interlocked.Exchange(ref _start, 0));
    }
}
