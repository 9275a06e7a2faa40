namespace MemoryStrategy.Analyzers.Tests;

/// <summary>Test sources for the cross-type analysis: a strategy <c>S</c> with members, and helper types beside it.</summary>
internal static class HelperSources
{
    /// <summary>A valid strategy <c>S</c> holding <paramref name="members"/>, and <paramref name="helpers"/> at namespace level.</summary>
    public static string With(string members, string helpers) => Sources.File(
        "[MemoryStrategy]\npublic sealed unsafe partial class S\n{\n" + Sources.Cores + "\n" + members + "\n}\n" + helpers);
}
