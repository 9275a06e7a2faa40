namespace MemoryStrategy.SourceGeneration;

/// <summary>The one exception handler of generated code, around core calls and in the C thunks.</summary>
internal static partial class StrategyEmitter
{
    /// <summary>
    /// Writes <paramref name="body"/> under a <c>try</c> whose <c>catch</c> faults the strategy: a core that throws
    /// leaves its state unknown. Managed callers rethrow (<paramref name="onFault"/> is <c>throw;</c>); a C thunk
    /// refuses instead, since an exception must never unwind into C.
    /// </summary>
    /// <param name="writer">The writer, at the depth of the <c>try</c>.</param>
    /// <param name="body">The guarded statements.</param>
    /// <param name="onFault">What follows the fault in the <c>catch</c> (a rethrow or a refusal), or null for nothing.</param>
    /// <param name="tracker">The expression of the status tracker to fault.</param>
    /// <param name="why">A comment the <c>catch</c> opens with, or null.</param>
    private static void EmitFaultHandler(
        SourceWriter writer,
        string body,
        string? onFault = "throw;",
        string tracker = EmittedNames.StatusTracker,
        string? why = null)
    {
        using (writer.Block("try"))
        {
            writer.Lines(body);
        }

        using (writer.Block("catch"))
        {
            if (why is not null)
            {
                writer.Line(why);
            }

            writer.Line($"{tracker}.TryFault();");
            if (onFault is not null)
            {
                writer.Lines(onFault);
            }
        }
    }
}
