using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.CodeFixes;

/// <summary>
/// Edits to one syntax root, all planned against the original root and applied together, so that fixes of
/// different shapes (an Interlocked update here, a read-then-reset there) land in one pass.
/// </summary>
internal sealed class RootEdits
{
    private readonly Dictionary<SyntaxNode, SyntaxNode> _replacements = new();
    private readonly HashSet<SyntaxNode> _removals = new();

    /// <summary>A type named by an edit needs <c>using System.Threading;</c>.</summary>
    public bool NeedsThreadingUsing { get; set; }

    public void Replace(SyntaxNode original, SyntaxNode replacement) => _replacements[original] = replacement;

    public void Remove(SyntaxNode original) => _removals.Add(original);

    public SyntaxNode Apply(SyntaxNode root)
    {
        var all = new List<SyntaxNode>(_replacements.Keys);
        all.AddRange(_removals);
        SyntaxNode fixedRoot = root.TrackNodes(all);
        foreach (KeyValuePair<SyntaxNode, SyntaxNode> replacement in _replacements)
        {
            // A node inside one already replaced is gone: the outer edit won.
            if (fixedRoot.GetCurrentNode(replacement.Key) is { } current)
            {
                fixedRoot = fixedRoot.ReplaceNode(current, replacement.Value);
            }
        }

        foreach (SyntaxNode removal in _removals)
        {
            if (fixedRoot.GetCurrentNode(removal) is { } current)
            {
                fixedRoot = fixedRoot.RemoveNode(current, SyntaxRemoveOptions.KeepNoTrivia)!;
            }
        }

        return NeedsThreadingUsing ? SyntaxHelpers.AddUsing(fixedRoot, "System.Threading") : fixedRoot;
    }
}
