using System.IO.Compression;
using MemoryStrategy.Testing;

namespace MemoryStrategy.Package.Tests;

/// <summary>
/// The path a user takes: reference the package, write a strategy, build. Each test builds a real consumer
/// project with <c>dotnet build</c> against the packed package.
/// </summary>
public sealed class PackageConsumerTests : IClassFixture<PackedPackage>
{
    private const string ValidStrategy = """
        using System.Runtime.InteropServices;
        using MemoryStrategy;

        unsafe
        {
            using var strategy = new Passthrough();
            if (!StrategyValidator.ValidateStrategy(strategy)) return 1;
            byte* block = (byte*)strategy.Allocate(1024);
            if (block is null || !StrategyValidator.ValidateDeallocation(strategy, block)) return 2;
            block[1023] = 42;
            strategy.Deallocate(block);
        #pragma warning disable MEM3006 // the analyzer is right: this double free is deliberate, to show it refused
            strategy.Deallocate(block);
        #pragma warning restore MEM3006
            StrategyStatistics stats = strategy.StatusTracker.GetStatistics();
            Console.WriteLine($"status={strategy.GetStatus()} allocations={stats.Allocations} deallocations={stats.Deallocations} refused={stats.RefusedDeallocations}");
            return 0;
        }

        [MemoryStrategy(TrackAllocations = true, MaxAllocationSize = 4096)]
        public sealed unsafe partial class Passthrough
        {
            [Allocate] private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);
            [Deallocate] private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
        }
        """;

    private readonly PackedPackage _package;

    public PackageConsumerTests(PackedPackage package) => _package = package;

    [Fact]
    public void The_package_holds_the_libraries_the_generator_the_analyzers_and_the_code_fixes()
    {
        using ZipArchive archive = ZipFile.OpenRead(_package.PackagePath);
        string[] entries = archive.Entries.Select(e => e.FullName).ToArray();

        Assert.Contains("lib/net10.0/MemoryStrategy.Abstractions.dll", entries);
        Assert.Contains("lib/net10.0/MemoryStrategy.Abstractions.xml", entries);
        Assert.Contains("lib/net10.0/MemoryStrategy.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/MemoryStrategy.Runtime.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/MemoryStrategy.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/MemoryStrategy.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/MemoryStrategy.CodeFixes.dll", entries);
        Assert.Contains("README.md", entries);
    }

    [Fact]
    public void The_package_holds_the_C_interfaces_header()
    {
        using ZipArchive archive = ZipFile.OpenRead(_package.PackagePath);
        ZipArchiveEntry? header = archive.GetEntry("include/memory_strategy.h");

        Assert.NotNull(header);
        using var reader = new StreamReader(header.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(_package.RepositoryRoot, "include", "memory_strategy.h")), reader.ReadToEnd());
    }

    [Fact]
    public void The_READMEs_C_library_commands_export_a_strategy_of_the_users_own_to_a_C_program()
    {
        // After the package block (the feed, ~/MyApp's nuget.config): a NativeAOT library with NativeExport, the header
        // from the package, a C program that calls the strategy and the validators. The NativeAOT compiler comes from
        // the machine's cache, as on a user's machine that has published ahead of time before.
        _package.RestoreNativeAotCompilerIntoMachineCache();
        (int exitCode, string output) = ReadmeCommands.Run("package-c", _package.Root, TimeSpan.FromMinutes(8), _package.CommandEnvironment);

        Assert.True(exitCode == 0, output);
        Assert.Contains("my_heap: status 1, a freed block valid to free: 0", output);
    }

    [Fact]
    public void The_package_holds_every_rule_page_at_the_path_its_help_link_names()
    {
        using ZipArchive archive = ZipFile.OpenRead(_package.PackagePath);
        string[] entries = archive.Entries.Select(e => e.FullName).ToArray();
        string[] pages = Directory.GetFiles(Path.Combine(_package.RepositoryRoot, "docs", "diagnostics"), "MEM*.md");

        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.Contains("docs/diagnostics/" + Path.GetFileName(page), entries));
        Assert.Contains("docs/analyzers.md", entries);
    }

    [Fact]
    public void The_READMEs_commands_add_the_package_to_a_new_project_where_a_strategy_builds_and_runs()
    {
        string project = File.ReadAllText(Path.Combine(_package.App, "MyApp.csproj"));
        Assert.Contains($"<PackageReference Include=\"MemoryStrategy\" Version=\"{_package.Version}\" />", project);
        Assert.True(
            Directory.Exists(Path.Combine(_package.PackageCache, "memorystrategy", _package.Version)),
            "the package was not restored from the README's folder into the fresh cache:\n" + _package.ReadmeOutput);

        // The README's next steps: allow unsafe code, write a strategy, build.
        File.WriteAllText(Path.Combine(_package.App, "Program.cs"), ValidStrategy);
        (int buildExit, string buildOutput) = ProcessRunner.Run(
            "dotnet", "build -c Release -p:AllowUnsafeBlocks=true", _package.App, TimeSpan.FromMinutes(5), _package.CommandEnvironment);
        Assert.True(buildExit == 0, buildOutput);

        (int runExit, string runOutput) = ProcessRunner.Run(
            "dotnet", "run -c Release --no-build", _package.App, TimeSpan.FromMinutes(2), _package.CommandEnvironment);
        Assert.True(runExit == 0, runOutput);
        Assert.Contains("status=Ready allocations=1 deallocations=1 refused=1", runOutput);
    }

    [Fact]
    public void A_valid_strategy_builds_without_warnings_and_runs()
    {
        ConsumerProject consumer = _package.CreateConsumer("Valid", ValidStrategy, "<EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>");

        (int buildExit, string buildOutput) = consumer.Build();
        Assert.True(buildExit == 0, buildOutput);
        Assert.True(buildOutput.Contains(" 0 Warning(s)", StringComparison.Ordinal), buildOutput);

        (int runExit, string runOutput) = consumer.Run();
        Assert.True(runExit == 0, runOutput);
        Assert.Contains("status=Ready allocations=1 deallocations=1 refused=1", runOutput);

        // EmitCompilerGeneratedFiles shows the generated file where users look for it.
        string generated = Path.Combine(consumer.Directory, "obj", "Release", "net10.0", "generated", "MemoryStrategy.Generators");
        Assert.True(Directory.Exists(generated), $"no generated folder at {generated}");
        string file = Directory.GetFiles(generated, "*.cs", SearchOption.AllDirectories).Single(f => f.Contains("Passthrough", StringComparison.Ordinal));
        Assert.Contains("partial class Passthrough", File.ReadAllText(file));
    }

    [Fact]
    public void An_unsynchronised_counter_in_Allocate_shows_MEM2001_in_the_build_output()
    {
        ConsumerProject consumer = _package.CreateConsumer("Racy", """
            using System.Runtime.InteropServices;
            using MemoryStrategy;

            using var strategy = new Counting();

            [MemoryStrategy(TrackAllocations = true)]
            public sealed unsafe partial class Counting
            {
                private int _count;

                [Allocate] private void* AllocateCore(nuint size) { _count++; return NativeMemory.Alloc(size); }
                [Deallocate] private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
            }
            """);

        (int exitCode, string output) = consumer.Build();

        Assert.True(exitCode == 0, output);
        Assert.Contains("warning MEM2001", output);
    }

    [Fact]
    public void A_strategy_that_is_not_partial_fails_the_build_with_MEM1001()
    {
        ConsumerProject consumer = _package.CreateConsumer("NotPartial", """
            using System.Runtime.InteropServices;
            using MemoryStrategy;

            [MemoryStrategy(TrackAllocations = true)]
            public sealed unsafe class Whole
            {
                [Allocate] private void* AllocateCore(nuint size) => NativeMemory.Alloc(size);
                [Deallocate] private void DeallocateCore(void* ptr) => NativeMemory.Free(ptr);
            }
            """);

        (int exitCode, string output) = consumer.Build();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error MEM1001", output);
    }
}
