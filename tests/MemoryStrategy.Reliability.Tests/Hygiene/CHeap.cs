using System.Runtime.InteropServices;

namespace MemoryStrategy.Reliability.Tests.Hygiene;

/// <summary>
/// The bytes the C heap (glibc) has handed out and not had back, from <c>mallinfo2</c>: every native slab, struct and
/// block that <see cref="NativeMemory"/> allocates is counted here, so a leak of them shows as growth.
/// </summary>
internal static partial class CHeap
{
    /// <summary>Bytes in use in the heap's arenas plus bytes in chunks mapped on their own.</summary>
    public static long BytesInUse()
    {
        MallInfo2 info = mallinfo2();
        return (long)(info.Uordblks + info.Hblkhd);
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo2 mallinfo2();

    /// <summary>glibc's <c>struct mallinfo2</c>: ten <c>size_t</c> fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2
    {
        public readonly nuint Arena;
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;
        public readonly nuint Hblkhd;
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;
        public readonly nuint Fordblks;
        public readonly nuint Keepcost;
    }
}
