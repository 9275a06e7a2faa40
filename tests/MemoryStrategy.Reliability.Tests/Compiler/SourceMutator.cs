using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MemoryStrategy.Reliability.Tests.Compiler;

/// <summary>
/// Breaks a source the way an editor session does, deterministically for a seed: tokens deleted, duplicated and
/// swapped, the file cut at a random point, <c>[MemoryStrategy]</c> arguments of the wrong type, method bodies removed.
/// </summary>
internal static class SourceMutator
{
    public const int Kinds = 6;

    private static readonly string[] WrongArguments =
    [
        "MaxAllocationSize = \"big\"", "MaxAllocationSize = 1.5", "MaxAllocationSize = new long[] { 1 }", "MaxAllocationSize = -1",
        "TrackAllocations = 1", "TrackAllocations = null", "Name = 42", "Name = typeof(int)", "Bogus = true", "12", "\"x\", 3",
        "MaxAllocationSize = long.MaxValue", "Name = \"\"", "Name = \"quote\\\"d\"",
    ];

    /// <summary>The variant of <paramref name="source"/> for <paramref name="seed"/>, and what was done to it.</summary>
    public static (string Text, string What) Mutate(string source, int seed)
    {
        var random = new Random(seed);
        SyntaxNode root = CSharpSyntaxTree.ParseText(source).GetRoot();
        SyntaxToken[] tokens = root.DescendantTokens().Where(t => t.Span.Length > 0).ToArray();
        int kind = random.Next(Kinds);
        return kind switch
        {
            0 => Edit(source, tokens, random, "deleted", token => string.Empty),
            1 => Edit(source, tokens, random, "duplicated", token => token.ToString() + " " + token.ToString()),
            2 => Swap(source, tokens, random),
            3 => Cut(source, random),
            4 => WrongAttributeArgument(source, root, random),
            _ => RemoveBody(source, root, random),
        };
    }

    /// <summary>Applies <paramref name="replace"/> to 1-3 random tokens, last first so earlier spans stay valid.</summary>
    private static (string, string) Edit(string source, SyntaxToken[] tokens, Random random, string what, Func<SyntaxToken, string> replace)
    {
        var text = new StringBuilder(source);
        var picked = Enumerable.Range(0, random.Next(1, 4)).Select(_ => tokens[random.Next(tokens.Length)]).DistinctBy(t => t.SpanStart)
            .OrderByDescending(t => t.SpanStart).ToList();
        foreach (SyntaxToken token in picked)
        {
            text.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, replace(token));
        }

        return (text.ToString(), $"{what} {string.Join(", ", picked.Select(t => $"'{t}'@{t.SpanStart}"))}");
    }

    private static (string, string) Swap(string source, SyntaxToken[] tokens, Random random)
    {
        int i = random.Next(tokens.Length - 1);
        SyntaxToken first = tokens[i], second = tokens[i + 1];
        string text = source[..first.SpanStart] + second + source[first.Span.End..second.SpanStart] + first + source[second.Span.End..];
        return (text, $"swapped '{first}' and '{second}'@{first.SpanStart}");
    }

    private static (string, string) Cut(string source, Random random)
    {
        int at = random.Next(source.Length);
        return (source[..at], $"cut at {at} of {source.Length}");
    }

    private static (string, string) WrongAttributeArgument(string source, SyntaxNode root, Random random)
    {
        AttributeSyntax[] attributes = root.DescendantNodes().OfType<AttributeSyntax>().Where(a => a.Name.ToString().Contains("MemoryStrategy")).ToArray();
        if (attributes.Length == 0)
        {
            return Cut(source, random);
        }

        AttributeSyntax attribute = attributes[random.Next(attributes.Length)];
        string argument = WrongArguments[random.Next(WrongArguments.Length)];
        string replaced = $"{attribute.Name}({argument})";
        return (source[..attribute.SpanStart] + replaced + source[attribute.Span.End..], $"[{replaced}]");
    }

    private static (string, string) RemoveBody(string source, SyntaxNode root, Random random)
    {
        BaseMethodDeclarationSyntax[] methods = root.DescendantNodes().OfType<BaseMethodDeclarationSyntax>()
            .Where(m => m.Body is not null || m.ExpressionBody is not null).ToArray();
        if (methods.Length == 0)
        {
            return Cut(source, random);
        }

        BaseMethodDeclarationSyntax method = methods[random.Next(methods.Length)];
        SyntaxNode body = (SyntaxNode?)method.Body ?? method.ExpressionBody!;
        int end = method.Body is not null ? body.Span.End : method.SemicolonToken.Span.End;
        return (source[..body.SpanStart] + ";" + source[end..], $"removed the body of the method at {method.SpanStart}");
    }
}
