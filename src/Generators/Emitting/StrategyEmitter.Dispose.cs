namespace MemoryStrategy.SourceGeneration;

/// <summary><c>Dispose</c>: the transition to Disposed, and the user's <c>[Cleanup]</c> run once, after the calls in flight.</summary>
internal static partial class StrategyEmitter
{
    private static void EmitDispose(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        using (writer.Block("public void Dispose()"))
        {
            if (model.Markers.Cleanup is null)
            {
                writer.Line($"{EmittedNames.StatusTracker}.TryDispose();");
                return;
            }

            writer.Line("// TryDispose succeeds for exactly one caller, so the cleanup runs once however many threads dispose.");
            using (writer.Block($"if ({EmittedNames.StatusTracker}.TryDispose())"))
            {
                writer.Lines($$"""
                    // Calls admitted before the status read Disposed finish first; later ones are refused (see EnterCall).
                    {{EmittedNames.StatusTracker}}.WaitForCallsInFlight();
                    {{model.Markers.Cleanup}}();
                    """);
            }
        }
    }
}
