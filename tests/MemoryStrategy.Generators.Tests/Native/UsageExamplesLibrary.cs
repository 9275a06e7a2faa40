using System.Runtime.InteropServices;
using MemoryStrategy.Testing;

namespace MemoryStrategy.Generators.Tests.Native;

/// <summary>
/// <c>usage_examples.c</c> compiled with gcc when the tests run, loaded with <see cref="NativeLibrary"/>, and its
/// functions as function pointers. Built once per test run, into a folder of its own under the temp directory.
/// </summary>
internal static unsafe class UsageExamplesLibrary
{
    private static readonly Lazy<nint> Handle = new(() => GccLibrary.BuildAndLoad(Path.Combine("Native", "usage_examples.c")));

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> UsageExample =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int>)Export("usage_example");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int, int, WorkerReport*, int> ThreadSafeExample =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int, int, WorkerReport*, int>)Export("thread_safe_example");

    public static delegate* unmanaged[Cdecl]<nuint*, void> Layout =>
        (delegate* unmanaged[Cdecl]<nuint*, void>)Export("memory_strategy_layout");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*> Allocate =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, nuint, void*>)Export("c_allocate");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void> Deallocate =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, void*, void>)Export("c_deallocate");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> GetStatus =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int>)Export("c_get_status");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> Validate =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int>)Export("c_validate");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> ReadStatus =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int>)Export("c_read_status");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> ValidateStrategy =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int>)Export("c_validate_strategy");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, NativeMemoryStrategy*, int> CallWithSelf =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, NativeMemoryStrategy*, int>)Export("c_call_with_self");

    private static nint Export(string name) => NativeLibrary.GetExport(Handle.Value, name);
}

/// <summary>Mirrors <c>WorkerReport</c> in <c>usage_examples.c</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WorkerReport
{
    public nint Strategy;
    public int Iterations;
    public int Index;
    public int Validated;
    public int Allocated;
    public int Freed;
    public int Corrupted;
    public int NotServing;
    public int Reserved;
}

/// <summary>
/// Tests that create native handles or count them run one at a time: <see cref="NativeStrategyHandle"/> counts its
/// structs process-wide.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeCollection
{
    public const string Name = "Native vtable";
}
