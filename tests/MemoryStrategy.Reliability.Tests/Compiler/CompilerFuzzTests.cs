namespace MemoryStrategy.Reliability.Tests.Compiler;

/// <summary>
/// The generator, every analyzer and every code fix over 2,000 broken variants of the repository's strategies (fixed
/// seeds: shard <c>s</c> runs variants <c>s, s + Shards, ...</c>): nothing throws (no AD0001, no CS8785, no exception
/// from a fix), and the generator never adds a compile error to a strategy the analyzers accept.
/// </summary>
public sealed class CompilerFuzzTests(ITestOutputHelper output)
{
    private const int Variants = 2_000;
    private const int Shards = 8;

    public static TheoryData<int> ShardNumbers() => new(Enumerable.Range(0, Shards));

    [Theory]
    [MemberData(nameof(ShardNumbers))]
    public async Task Broken_sources_never_crash_the_compiler_side(int shard)
    {
        var failures = new List<string>();
        int fixes = 0, variants = 0;
        for (int seed = shard; seed < Variants; seed += Shards)
        {
            (string name, string text) = FuzzCorpus.Files[seed % FuzzCorpus.Files.Count];
            (string mutated, string what) = SourceMutator.Mutate(text, seed);
            (List<string> problems, int applied) = await CompilerPipeline.RunAsync(mutated);
            fixes += applied;
            variants++;
            failures.AddRange(problems.Select(p => $"seed {seed}, {name}, {what}:\n{p}"));
        }

        output.WriteLine($"{variants} variants, {fixes} code fixes applied, {failures.Count} problems");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(5)));
    }

    [Fact]
    public async Task The_unbroken_corpus_is_clean_and_exercises_the_fixes()
    {
        int fixes = 0;
        foreach ((string name, string text) in FuzzCorpus.Files)
        {
            (List<string> problems, int applied) = await CompilerPipeline.RunAsync(text);
            Assert.True(problems.Count == 0, $"{name}: {string.Join("\n", problems)}");
            fixes += applied;
        }

        // The corpus must reach every analyzer's fixes through the bad strategies, or the fuzzing proves little about them.
        Assert.True(FuzzCorpus.Files.Count >= 8, $"only {FuzzCorpus.Files.Count} corpus files");
        Assert.True(fixes >= CompilerPipeline.FixCount, $"only {fixes} fixes applied over the corpus, for {CompilerPipeline.FixCount} fix providers");
        Assert.True(CompilerPipeline.AnalyzerCount >= 5, $"only {CompilerPipeline.AnalyzerCount} analyzers found");
    }
}
