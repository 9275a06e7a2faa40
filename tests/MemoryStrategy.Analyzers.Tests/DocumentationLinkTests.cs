namespace MemoryStrategy.Analyzers.Tests;

/// <summary>Every diagnostic's help link is its page under docs/diagnostics, and the page exists.</summary>
public sealed class DocumentationLinkTests
{
    [Fact]
    public void Every_rule_has_a_help_link_to_its_page()
    {
        var analyzers = AllAnalyzers.Create();
        var descriptors = analyzers.SelectMany(a => a.SupportedDiagnostics).DistinctBy(d => d.Id).ToList();

        Assert.Equal(27, descriptors.Count);
        Assert.All(descriptors, d => Assert.Equal($"docs/diagnostics/{d.Id}.md", d.HelpLinkUri));

        // The link resolves against the repository root (and the package root, which ships docs/diagnostics: the
        // package tests check that every page is in the package).
        string root = MemoryStrategy.Testing.RepositoryRoot.Path;
        Assert.All(descriptors, d => Assert.True(File.Exists(Path.Combine(root, d.HelpLinkUri)), d.Id + " has no page at " + d.HelpLinkUri));
    }
}
