using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// One block of address space holding every class's slab, each starting on a 1 MiB granule, with a map from granule
/// to class: the class that owns a pointer is <c>Owners[(ptr - start) &gt;&gt; 20]</c>, one subtraction, one shift, one
/// comparison and one load from a table of about a hundred bytes.
/// </summary>
/// <remarks>
/// <para>
/// Each slab takes only its own size rounded up to a granule, so the reservation is about the sum of the slabs
/// (110 MiB with the defaults of <see cref="SizeClassPoolOptions"/>), not the class count times the largest slab
/// that equal power-of-two regions would need (352 MiB).
/// </para>
/// <para>
/// The memory is reserved with one <see cref="NativeMemory.AlignedAlloc"/>, which the C runtime serves from
/// <c>mmap</c> at this size: the whole range is address space (and, under Linux's default overcommit, commit charge),
/// but a page becomes resident only when a block on it is first written. It is freed by <see cref="Dispose"/>, or by
/// the finalizer when the pool that owns it was never disposed (nothing can reach the class pools then either: only
/// the pool holds them).
/// </para>
/// </remarks>
internal sealed unsafe class ClassReservation : IDisposable
{
    /// <summary>The log2 of a granule: every slab starts on a multiple of 1 MiB from <see cref="Start"/>.</summary>
    public const int GranuleShift = 20;

    private readonly nuint[] _offsets;

    /// <summary>The reservation's address; 0 once freed.</summary>
    private nint _start;

    /// <summary>Reserves one slab of <c>slabBytes[i]</c> bytes for each class <c>i</c> (fewer than 256 classes).</summary>
    public ClassReservation(ReadOnlySpan<nuint> slabBytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slabBytes.Length, byte.MaxValue + 1);
        _offsets = new nuint[slabBytes.Length];
        var owners = new List<byte>();
        for (int i = 0; i < slabBytes.Length; i++)
        {
            _offsets[i] = checked((nuint)owners.Count << GranuleShift);
            nuint granules = Math.Max(1, checked(slabBytes[i] + ((nuint)1 << GranuleShift) - 1) >> GranuleShift);
            for (nuint g = 0; g < granules; g++)
            {
                owners.Add((byte)i);
            }
        }

        Owners = [.. owners];
        Bytes = checked((nuint)Owners.Length << GranuleShift);

        // Page-aligned, so every slab starts on a page (and so on a cache line, as the pools require).
        _start = (nint)NativeMemory.AlignedAlloc(Bytes, 4096);
    }

    /// <summary>The first byte of the first slab.</summary>
    public byte* Start => (byte*)_start;

    /// <summary>The class whose slab holds each granule (a slab's rounding belongs to its class).</summary>
    public byte[] Owners { get; }

    /// <summary>The bytes reserved.</summary>
    public nuint Bytes { get; }

    /// <summary>The start of class <paramref name="index"/>'s slab.</summary>
    public byte* Region(int index) => Start + _offsets[index];

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
