using System.Runtime.InteropServices;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// mimalloc (Debian's <c>libmimalloc2.0</c>), called through unmanaged function pointers with
/// <c>SuppressGCTransition</c>: the comparison measures the allocator, not the cost of a P/Invoke transition
/// (<c>mi_malloc</c>/<c>mi_free</c> never block and never call back into .NET, which is what the attribute
/// requires).
/// </summary>
internal static unsafe class Mimalloc
{
    private static readonly string[] LibraryNames = ["libmimalloc.so.2", "libmimalloc.so", "mimalloc"];

    // static readonly: tier-1 code treats them as constants, so each call is a direct call.
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nuint, void*> s_malloc;
    private static readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<void*, void> s_free;

    static Mimalloc()
    {
        foreach (string name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out nint library)
                && NativeLibrary.TryGetExport(library, "mi_malloc", out nint malloc)
                && NativeLibrary.TryGetExport(library, "mi_free", out nint free))
            {
                s_malloc = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nuint, void*>)malloc;
                s_free = (delegate* unmanaged[Cdecl, SuppressGCTransition]<void*, void>)free;
                IsAvailable = true;
                return;
            }
        }
    }

    /// <summary>Whether the library was found; when it was not, the mimalloc baselines are left out of the run.</summary>
    public static bool IsAvailable { get; }

    /// <summary>How to get it, for the note printed when it is missing.</summary>
    public const string InstallHint = "mimalloc not found (apt-get install libmimalloc2.0): its baselines are skipped";

    /// <summary>Why a round-robin run cannot start without it.</summary>
    public const string RoundRobinHint =
        "mimalloc not found: the round-robin rows are timed against it in every round. Install it (make deps, or apt-get install libmimalloc2.0) and run again.";

    public static void* Malloc(nuint size) => s_malloc(size);

    public static void Free(void* ptr) => s_free(ptr);
}
