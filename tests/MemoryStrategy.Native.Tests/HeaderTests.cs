namespace MemoryStrategy.Native.Tests;

/// <summary>
/// The C interface's header, <c>include/memory_strategy.h</c>, compiles cleanly in every language a C program or a C++
/// one may include it from: C89 to C17 and C++98 to C++20, with all warnings as errors and strict ISO conformance.
/// </summary>
public sealed class HeaderTests
{
    [Theory]
    [InlineData("gcc", "c", "c89")]
    [InlineData("gcc", "c", "c99")]
    [InlineData("gcc", "c", "c11")]
    [InlineData("gcc", "c", "c17")]
    [InlineData("g++", "c++", "c++98")]
    [InlineData("g++", "c++", "c++11")]
    [InlineData("g++", "c++", "c++20")]
    public void The_header_compiles_warning_free_in_every_language_mode(string compiler, string language, string standard)
    {
        string root = MemoryStrategy.Testing.RepositoryRoot.Path;
        string header = Path.Combine(root, "include", "memory_strategy.h");

        // The header alone, then a unit that calls its inline helper (the only function it defines).
        string unit = Path.Combine(Path.GetTempPath(), $"memory_strategy_header_{standard}_{Environment.ProcessId}.{(language == "c" ? "c" : "cpp")}");
        File.WriteAllText(unit, "#include \"memory_strategy.h\"\nint status_of(const MemoryStrategy* s) { return (int)memory_strategy_read_status(s); }\n");
        try
        {
            foreach (string arguments in new[]
            {
                $"-std={standard} -Wall -Wextra -Wpedantic -pedantic-errors -Werror -fsyntax-only -x {language} \"{header}\"",
                $"-std={standard} -Wall -Wextra -Wpedantic -pedantic-errors -Werror -fsyntax-only -I \"{Path.Combine(root, "include")}\" \"{unit}\"",
            })
            {
                (int exitCode, string output) = ProcessRunner.Run(compiler, arguments, root, TimeSpan.FromMinutes(1));
                Assert.True(exitCode == 0, $"{compiler} {arguments}\n{output}");
            }
        }
        finally
        {
            File.Delete(unit);
        }
    }
}
