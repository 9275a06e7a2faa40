using System.Collections.Concurrent;
using System.Collections.Immutable;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// What a build does with the package: runs the generator over the sources, then every analyzer over the result.
/// Exceptions thrown by an analyzer or by the generator are captured, never swallowed.
/// </summary>
internal sealed class PipelineRun
{
    private PipelineRun(Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, ImmutableArray<Exception> generatorExceptions)
    {
        Output = output;
        GeneratorDiagnostics = generatorDiagnostics;
        GeneratorExceptions = generatorExceptions;
    }

    /// <summary>The compilation with the generated sources added.</summary>
    public Compilation Output { get; }

    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    public ImmutableArray<Exception> GeneratorExceptions { get; }

    public ImmutableArray<Diagnostic> AnalyzerDiagnostics { get; private set; }

    public ImmutableArray<Exception> AnalyzerExceptions { get; private set; }

    public static Task<PipelineRun> RunAsync(params string[] sources) => RunAsync(AnalyzerRunner.Compile(sources));

    /// <summary>The same run over a compilation the caller set up (other references, its own file names).</summary>
    public static async Task<PipelineRun> RunAsync(Compilation input)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new MemoryStrategyGenerator().AsSourceGenerator()], parseOptions: AnalyzerRunner.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        ImmutableArray<Exception> generatorExceptions = [.. driver.GetRunResult().Results.Select(r => r.Exception).OfType<Exception>()];

        var run = new PipelineRun(output, generatorDiagnostics, generatorExceptions);
        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), (exception, _, _) => exceptions.Enqueue(exception), concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        run.AnalyzerDiagnostics = await output.WithAnalyzers(AllAnalyzers.Create(), options).GetAnalyzerDiagnosticsAsync();
        run.AnalyzerExceptions = [.. exceptions];
        return run;
    }

    /// <summary>AD0001 (an analyzer threw) or CS8785 (the generator threw), with the exceptions behind them.</summary>
    public IEnumerable<string> Crashes() =>
        AnalyzerDiagnostics.Concat(GeneratorDiagnostics).Where(d => d.Id is "AD0001" or "CS8785").Select(d => d.ToString())
            .Concat(AnalyzerExceptions.Concat(GeneratorExceptions).Select(e => e.ToString()));
}
