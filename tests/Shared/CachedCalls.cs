using System.Runtime.InteropServices;

namespace MemoryStrategy.Testing;

/// <summary>
/// The C calls the NativeAOT library links (native/memory_strategy_calls.c with the validators), built with gcc in the
/// test process and registered with the runtime (<see cref="NativeExports.UseCachedCalls"/>): every strategy published
/// through <see cref="NativeExports.Publish"/> afterwards that describes its caches gets its vtable calls served in C,
/// as in the library. The test project copies both C files and memory_strategy_slots.h into its Native folder.
/// </summary>
internal static unsafe class CachedCalls
{
    private static readonly Lazy<nint> Registered = new(BuildAndRegister);

    /// <summary>Builds and registers the calls once per process; returns the library's handle.</summary>
    public static nint Library => Registered.Value;

    private static nint BuildAndRegister()
    {
        nint library = GccLibrary.BuildAndLoad(
            Path.Combine("Native", "memory_strategy_calls.c"), Path.Combine("Native", "memory_strategy_validators.c"));
        var calls = (delegate* unmanaged[Cdecl]<void**, void**, void**, void**, void>)NativeLibrary.GetExport(library, "memory_strategy_cached_calls");
        void* allocate;
        void* deallocate;
        void* routedAllocate;
        void* routedDeallocate;
        calls(&allocate, &deallocate, &routedAllocate, &routedDeallocate);
        NativeExports.UseCachedCalls(
            (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*>)allocate,
            (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void>)deallocate,
            (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*>)routedAllocate,
            (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void>)routedDeallocate);
        return library;
    }
}
