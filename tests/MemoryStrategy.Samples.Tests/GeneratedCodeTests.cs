using System.Diagnostics;
using System.Text;
using Basic.Reference.Assemblies;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MemoryStrategy.Samples.Tests;

/// <summary>
/// Each sample commits its generated code under <c>Generated/</c> so readers see it on the repository without
/// building. These tests run today's generator on each sample's sources and compare with what is committed.
/// </summary>
/// <remarks>
/// They compare with the committed version (<c>git show HEAD:…</c>), not the working tree: building a sample
/// rewrites its <c>Generated/</c> folder, so the files on disk are always fresh by the time tests run. Outside a
/// git checkout they fail and say so, rather than compare the build's output with itself.
/// </remarks>
public class GeneratedCodeTests
{
    private const string GeneratedFolder = "Generated/MemoryStrategy.Generators/MemoryStrategy.SourceGeneration.MemoryStrategyGenerator";

    // The SDK's implicit usings for a library (samples/Directory.Build.props turns them on).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    [Theory]
    [InlineData("MemoryPool")]
    [InlineData("BumpArena")]
    [InlineData("NativePassThrough")]
    [InlineData("SizeClassPool")]
    public void The_committed_generated_code_is_what_the_generator_writes_today(string sample)
    {
        string sampleFolder = Path.Combine(RepositoryRoot, "samples", sample);
        Dictionary<string, string> generated = Generate(sampleFolder);
        Dictionary<string, string> committed = ReadCommitted($"samples/{sample}/{GeneratedFolder}");

        Assert.NotEmpty(generated);
        Assert.Equal(generated.Keys.Order(), committed.Keys.Order());
        foreach ((string file, string text) in generated)
        {
            Assert.True(
                text == committed[file],
                $"samples/{sample}/{GeneratedFolder}/{file} is stale: build the sample and commit its Generated folder.");
        }
    }

    /// <summary>Runs the generator on the sample's own sources; returns each generated file's text by name.</summary>
    private static Dictionary<string, string> Generate(string sampleFolder)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        IEnumerable<SyntaxTree> sources = Directory
            .EnumerateFiles(sampleFolder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsUnder(sampleFolder, path, "Generated", "bin", "obj"))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, "ImplicitUsings.cs"));
        var compilation = CSharpCompilation.Create(
            "Sample",
            sources,
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(IMemoryStrategy).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(NativeStrategyHandle).Assembly.Location),
                // The samples a composite sample is built from (the size-class pool's classes and fallback).
                MetadataReference.CreateFromFile(typeof(MemoryPoolStrategy).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(NativePassThroughStrategy).Assembly.Location),
            ],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver
            .Create([new MemoryStrategyGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return driver.GetRunResult().Results
            .SelectMany(result => result.GeneratedSources)
            .ToDictionary(source => source.HintName, source => source.SourceText.ToString());
    }

    /// <summary>The committed files of a folder, by name, from git's HEAD.</summary>
    private static Dictionary<string, string> ReadCommitted(string folder)
    {
        // The working tree is no reference: building the samples (which the test run just did) rewrote it, so it would
        // always equal what the generator writes. Only git holds what was committed.
        Assert.True(
            Directory.Exists(Path.Combine(RepositoryRoot, ".git")) || File.Exists(Path.Combine(RepositoryRoot, ".git")),
            $"{RepositoryRoot} is not a git checkout: the committed generated code under samples/*/Generated cannot be told "
            + "apart from what the build just wrote there. Run this test from a git clone.");

        return Git("ls-tree", "--name-only", "HEAD", $"{folder}/")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(path => path[(path.LastIndexOf('/') + 1)..], path => WithoutBom(Git("show", $"HEAD:{path}")));
    }

    private static string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(RepositoryRoot);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process git = Process.Start(start)!;
        Task<string> errors = git.StandardError.ReadToEndAsync();
        string output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {errors.Result}");
        return output;
    }

    private static string WithoutBom(string text) => text.TrimStart('\uFEFF');

    private static bool IsUnder(string root, string path, params string[] folders)
    {
        string first = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar)[0];
        return folders.Contains(first);
    }

    private static string RepositoryRoot => MemoryStrategy.Testing.RepositoryRoot.Path;
}
