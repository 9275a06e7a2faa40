namespace MemoryStrategy.SourceGeneration;

/// <summary><c>Owns</c>: the live-pointer registry's answer, else the user's <c>[Owns]</c> under the fault handler.</summary>
internal static partial class StrategyEmitter
{
    private static void EmitOwns(SourceWriter writer, StrategyModel model)
    {
        bool guardedCore = !model.TrackAllocations && model.Markers.Owns is not null && model.FaultOnCoreException;
        string answer = model.TrackAllocations
            ? $"{EmittedNames.LiveAllocations}.Contains((nint)ptr)"
            : model.Markers.Owns is null ? "false"
            : guardedCore ? $"{EmittedNames.CallOwns}(ptr)" : $"{model.Markers.Owns}(ptr)";
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        using (writer.Block("public bool Owns(void* ptr)"))
        {
            writer.Line("// Nothing is live once the strategy is disposed: its cleanup may have released the memory.");
            using (writer.Block($"if (ptr is null || {EmittedNames.CurrentStatus} == {TypeNames.StrategyStatus}.Disposed)"))
            {
                writer.Line("return false;");
            }

            writer.Line();
            writer.Line($"return {answer};");
        }

        if (guardedCore)
        {
            writer.Line();
            using (writer.Block($"private bool {EmittedNames.CallOwns}(void* ptr)"))
            {
                EmitFaultHandler(writer, $"return {model.Markers.Owns}(ptr);");
            }
        }
    }
}
