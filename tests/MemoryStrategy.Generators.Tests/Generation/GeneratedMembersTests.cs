using MemoryStrategy.Generators.Tests.Infrastructure;
using MemoryStrategy.Generators.Tests.Shapes;
using MemoryStrategy.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MemoryStrategy.Generators.Tests.Generation;

/// <summary>
/// <c>MarkerNames.GeneratedMembers</c> is what MEM1006 reserves: a user member of one of those names would clash with
/// the generated one. It is written by hand, so these tests hold it to what the emitter actually declares.
/// </summary>
public sealed class GeneratedMembersTests
{
    [Theory]
    [MemberData(nameof(ShapeCatalog.Cases), MemberType = typeof(ShapeCatalog))]
    public void Every_member_the_emitter_declares_is_reserved(Shape shape)
    {
        // Private members carry the reserved prefix; every other name must be in the list, or a user could declare it
        // and the generated partial would not compile.
        var unreserved = DeclaredNames(shape)
            .Where(name => !name.StartsWith(MarkerNames.GeneratedPrefix, StringComparison.Ordinal))
            .Where(name => !MarkerNames.GeneratedMembers.Contains(name))
            .ToList();

        Assert.Empty(unreserved);
    }

    [Fact]
    public void Every_reserved_name_is_a_member_the_emitter_declares()
    {
        // A stale entry would forbid users a name for nothing.
        var declared = ShapeCatalog.All.SelectMany(DeclaredNames).ToHashSet();

        var stale = MarkerNames.GeneratedMembers.Except(declared).ToList();

        Assert.Empty(stale);
    }

    /// <summary>The names the generated partial declares directly in the strategy class.</summary>
    private static IEnumerable<string> DeclaredNames(Shape shape)
    {
        SyntaxTree tree = Assert.Single(GeneratorHarness.Run(shape.Source).Sources).SyntaxTree;
        ClassDeclarationSyntax strategy = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .Single(type => type.BaseList?.Types.Any(baseType => baseType.ToString().EndsWith(".IMemoryStrategy", StringComparison.Ordinal)) == true);

        return strategy.Members.SelectMany(member => member switch
        {
            BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(variable => variable.Identifier.ValueText),
            MethodDeclarationSyntax method => [method.Identifier.ValueText],
            PropertyDeclarationSyntax property => [property.Identifier.ValueText],
            BaseTypeDeclarationSyntax type => [type.Identifier.ValueText],
            _ => throw new InvalidOperationException($"The test does not know how to name a {member.Kind()}."),
        });
    }
}
