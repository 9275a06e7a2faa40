using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Generators.Tests.Native;

/// <summary>
/// <c>seed_examples.c</c> compiled with gcc when the tests run, loaded with <see cref="NativeLibrary"/>, and its
/// functions as function pointers. Built once per test run, into a folder of its own under the temp directory.
/// </summary>
internal static unsafe class SeedExamplesLibrary
{
    private static readonly Lazy<nint> Handle = new(Build);

    /// <summary>Where gcc is, or null when it is not on the PATH.</summary>
    public static string? GccPath { get; } = FindOnPath("gcc");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int> SeedUsageExample =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int>)Export("seed_usage_example");

    public static delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int, int, WorkerReport*, int> SeedThreadExample =>
        (delegate* unmanaged[Cdecl]<NativeMemoryStrategy*, int, int, WorkerReport*, int>)Export("seed_thread_example");

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

    private static nint Build()
    {
        string gcc = GccPath ?? throw new InvalidOperationException("gcc is not on the PATH.");
        string sources = Path.Combine(AppContext.BaseDirectory, "Native");
        string output = Directory.CreateTempSubdirectory("memory-strategy-c-").FullName;
        string library = Path.Combine(output, "libseed_examples.so");

        var start = new ProcessStartInfo(gcc)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList =
            {
                "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-pthread",
                "-I", sources, "-o", library, Path.Combine(sources, "seed_examples.c"),
            },
        };
        using Process process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc failed ({process.ExitCode}):\n{errors}");
        }

        return NativeLibrary.Load(library);
    }

    private static string? FindOnPath(string program)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(directory, program);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>Mirrors <c>WorkerReport</c> in <c>seed_examples.c</c>.</summary>
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

/// <summary>A test that needs gcc: skipped, with the reason, only when gcc is missing (CI installs it).</summary>
internal sealed class RequiresGccFactAttribute : FactAttribute
{
    public RequiresGccFactAttribute()
    {
        if (SeedExamplesLibrary.GccPath is null)
        {
            Skip = "gcc is not on the PATH: the C examples cannot be compiled here (.ci/run installs gcc).";
        }
    }
}

/// <summary>The theory flavour of <see cref="RequiresGccFactAttribute"/>.</summary>
internal sealed class RequiresGccTheoryAttribute : TheoryAttribute
{
    public RequiresGccTheoryAttribute()
    {
        if (SeedExamplesLibrary.GccPath is null)
        {
            Skip = "gcc is not on the PATH: the C examples cannot be compiled here (.ci/run installs gcc).";
        }
    }
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
