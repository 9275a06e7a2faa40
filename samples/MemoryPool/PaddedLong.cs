using System.Runtime.InteropServices;

namespace MemoryStrategy.Samples;

/// <summary>
/// A 64-bit word alone in its cache line (at least 56 bytes of padding on each side), for a word that threads
/// CAS: writes to it never invalidate the lines of the fields around it.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [FieldOffset(64)] public long Value;
}
