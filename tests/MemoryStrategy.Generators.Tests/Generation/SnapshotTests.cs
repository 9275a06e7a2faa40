using MemoryStrategy.Generators.Tests.Infrastructure;
using MemoryStrategy.Generators.Tests.Shapes;

namespace MemoryStrategy.Generators.Tests.Generation;

/// <summary>The generated source of every shape, compared exactly with its golden file.</summary>
public sealed class SnapshotTests
{
    [Theory]
    [MemberData(nameof(ShapeCatalog.Cases), MemberType = typeof(ShapeCatalog))]
    public void Generated_source_matches_its_golden_file(Shape shape)
    {
        GeneratorRun run = GeneratorHarness.Run(shape.Source);

        var source = Assert.Single(run.Sources);
        Assert.Equal(shape.HintName, source.HintName);
        Snapshot.Verify(shape.Name, source.SourceText.ToString());
    }

    [Fact]
    public void Every_golden_file_belongs_to_a_shape()
    {
        // A renamed or removed shape must not leave a stale golden file behind.
        var expected = ShapeCatalog.All.Select(shape => shape.Name + ".verified.cs").Order().ToList();
        var actual = Directory.GetFiles(RepositoryPaths.SnapshotDirectory, "*.verified.cs").Select(path => Path.GetFileName(path)).Order().ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        string first = GeneratorHarness.Run(ShapeCatalog.FileScopedNamespace.Source).Sources[0].SourceText.ToString();
        string second = GeneratorHarness.Run(ShapeCatalog.FileScopedNamespace.Source).Sources[0].SourceText.ToString();

        Assert.Equal(first, second);
        Assert.DoesNotContain('\r', first);
    }
}
