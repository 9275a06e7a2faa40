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
    /// Whether the C-dependent tests must run: <c>MEMORYSTRATEGY_REQUIRE_NATIVE=1</c> (set by <c>.ci/run</c>) turns
    /// their skip into a failure, so a CI machine without gcc goes red instead of silently testing less.
    /// </summary>
    public static bool Required { get; } = Environment.GetEnvironmentVariable("MEMORYSTRATEGY_REQUIRE_NATIVE") == "1";

    /// <summary>Why a C-dependent test skips here, or null when it runs (gcc found, or required).</summary>
    public static string? SkipReason =>
        GccPath is null && !Required
            ? "gcc is not on the PATH: the C code cannot be compiled here (.ci/run installs gcc and requires these tests)."
            : null;

    /// <summary>
    /// Builds <paramref name="sourceFiles"/> (relative to the test's output folder) into one library in a temporary
    /// folder of its own, with warnings as errors, and loads it.
    /// </summary>
    /// <param name="sourceFiles">
    /// The C files, e.g. <c>Native/usage_examples.c</c>; the first names the library, and its folder is on the include path.
    /// </param>
    /// <returns>The handle <see cref="NativeLibrary.GetExport"/> takes.</returns>
    public static nint BuildAndLoad(params string[] sourceFiles)
    {
        string gcc = GccPath ?? throw new InvalidOperationException(
            "gcc is not on the PATH, and MEMORYSTRATEGY_REQUIRE_NATIVE=1 requires the C-dependent tests to run: install gcc.");
        string[] sources = Array.ConvertAll(sourceFiles, file => Path.Combine(AppContext.BaseDirectory, file));
        string source = sources[0];
        string output = Directory.CreateTempSubdirectory("memory-strategy-c-").FullName;
        string library = Path.Combine(output, "lib" + Path.GetFileNameWithoutExtension(source) + ".so");

        var start = new ProcessStartInfo(gcc)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList =
            {
                "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-pthread",
                "-I", Path.GetDirectoryName(source)!, "-o", library,
            },
        };
        foreach (string file in sources)
        {
            start.ArgumentList.Add(file);
        }

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

/// <summary>
/// A test that needs gcc: skipped, with the reason, only when gcc is missing and the C tests are not required
/// (<see cref="GccLibrary.Required"/>); when required it runs and fails with the reason.
/// </summary>
internal sealed class RequiresGccFactAttribute : FactAttribute
{
    public RequiresGccFactAttribute() => Skip = GccLibrary.SkipReason;
}

/// <summary>The theory flavour of <see cref="RequiresGccFactAttribute"/>.</summary>
internal sealed class RequiresGccTheoryAttribute : TheoryAttribute
{
    public RequiresGccTheoryAttribute() => Skip = GccLibrary.SkipReason;
}
