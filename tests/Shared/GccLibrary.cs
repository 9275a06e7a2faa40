using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MemoryStrategy.Testing;

/// <summary>
/// Compiles a C file into a shared library with gcc while the tests run, and loads it. Linked into every test project
/// that drives the native vtable from C, so there is one way to build C at test time.
/// </summary>
internal static class GccLibrary
{
    /// <summary>Where gcc is, or null when it is not on the PATH.</summary>
    public static string? GccPath { get; } = FindOnPath("gcc");

    /// <summary>
    /// Builds <paramref name="sourceFile"/> (relative to the test's output folder) into a library in a temporary folder
    /// of its own, with warnings as errors, and loads it.
    /// </summary>
    /// <param name="sourceFile">The C file, e.g. <c>Native/usage_examples.c</c>; its folder is on the include path.</param>
    /// <returns>The handle <see cref="NativeLibrary.GetExport"/> takes.</returns>
    public static nint BuildAndLoad(string sourceFile)
    {
        string gcc = GccPath ?? throw new InvalidOperationException("gcc is not on the PATH.");
        string source = Path.Combine(AppContext.BaseDirectory, sourceFile);
        string output = Directory.CreateTempSubdirectory("memory-strategy-c-").FullName;
        string library = Path.Combine(output, "lib" + Path.GetFileNameWithoutExtension(source) + ".so");

        var start = new ProcessStartInfo(gcc)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList =
            {
                "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-pthread",
                "-I", Path.GetDirectoryName(source)!, "-o", library, source,
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

/// <summary>A test that needs gcc: skipped, with the reason, only when gcc is missing (CI installs it).</summary>
internal sealed class RequiresGccFactAttribute : FactAttribute
{
    public RequiresGccFactAttribute()
    {
        if (GccLibrary.GccPath is null)
        {
            Skip = "gcc is not on the PATH: the C code cannot be compiled here (.ci/run installs gcc).";
        }
    }
}

/// <summary>The theory flavour of <see cref="RequiresGccFactAttribute"/>.</summary>
internal sealed class RequiresGccTheoryAttribute : TheoryAttribute
{
    public RequiresGccTheoryAttribute()
    {
        if (GccLibrary.GccPath is null)
        {
            Skip = "gcc is not on the PATH: the C code cannot be compiled here (.ci/run installs gcc).";
        }
    }
}
