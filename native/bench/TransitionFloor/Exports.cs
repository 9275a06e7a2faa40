using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Native.Floor;

/// <summary>Exports that isolate what every call from C into a NativeAOT library pays.</summary>
public static unsafe class Exports
{
    [ThreadStatic]
    private static long t_counter;

    /// <summary>Nothing but the reverse P/Invoke transition in and out.</summary>
    [UnmanagedCallersOnly(EntryPoint = "floor_empty", CallConvs = [typeof(CallConvCdecl)])]
    public static int Empty(void* self) => 0;

    /// <summary>The transition plus one read and one write of a [ThreadStatic] (what a thread cache costs).</summary>
    [UnmanagedCallersOnly(EntryPoint = "floor_thread_static", CallConvs = [typeof(CallConvCdecl)])]
    public static int ThreadStatic(void* self) => (int)++t_counter;

    /// <summary>The transition plus one read through the pointer C passed (what recognising a struct costs at least).</summary>
    [UnmanagedCallersOnly(EntryPoint = "floor_read_word", CallConvs = [typeof(CallConvCdecl)])]
    public static int ReadWord(void* self) => *(int*)self;
}
