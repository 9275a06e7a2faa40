namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// <c>Validate</c>: the first validation (Uninitialized to Ready or Faulted), the user's <c>[Validate]</c> under the
/// fault handler, and without one a single inline comparison.
/// </summary>
internal static partial class StrategyEmitter
{
    private static void EmitValidate(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        bool hasCheck = model.Markers.Validate is not null;
        string firstCheck = hasCheck ? $"{EmittedNames.CheckInvariants}()" : "true";
        string method;
        if (hasCheck)
        {
            writer.Line("/// <inheritdoc/>");
            method = "public bool Validate()";
        }
        else
        {
            // Without [Validate] a serving strategy is valid by its status alone: one comparison inline, the rest (the
            // first validation, Faulted, Disposed) out of line. The C interface's validators call this on every check.
            writer.Line("/// <inheritdoc/>");
            using (writer.Block("public bool Validate()"))
            {
                writer.Lines($$"""
                    // Ready (1) or Degraded (2): valid. The first validation, Faulted and Disposed go out of line.
                    return (uint){{EmittedNames.CurrentStatus}} - 1u < 2u || {{EmittedNames.ValidateSlow}}();
                    """);
            }

            writer.Line();
            writer.Line("/// <summary>Everything but a serving status: the first validation moves Uninitialized on.</summary>");
            writer.Line(TypeNames.NoInlining);
            method = $"private bool {EmittedNames.ValidateSlow}()";
        }

        using (writer.Block(method))
        using (writer.Block($"switch ({EmittedNames.CurrentStatus})"))
        {
            writer.Line($"case {TypeNames.StrategyStatus}.Uninitialized:");
            using (writer.Indented())
            {
                writer.Line("// The first validation: of racing callers one transition wins, and all report its outcome.");
                writer.Line($"return {EmittedNames.StatusTracker}.TryInitialize({firstCheck});");
            }

            writer.Line($"case {TypeNames.StrategyStatus}.Ready:");
            writer.Line($"case {TypeNames.StrategyStatus}.Degraded:");
            using (writer.Indented())
            {
                EmitServingValidation(writer, hasCheck);
            }

            writer.Line("default:");
            using (writer.Indented())
            {
                writer.Line("return false;");
            }
        }

        if (hasCheck)
        {
            writer.Line();
            if (model.FaultOnCoreException)
            {
                using (writer.Block($"private bool {EmittedNames.CheckInvariants}()"))
                {
                    EmitFaultHandler(writer, $"return {model.Markers.Validate}();");
                }
            }
            else
            {
                writer.Line($"private bool {EmittedNames.CheckInvariants}() => {model.Markers.Validate}();");
            }
        }
    }

    /// <summary>A serving strategy: valid, unless its <c>[Validate]</c> says otherwise, which faults it.</summary>
    private static void EmitServingValidation(SourceWriter writer, bool hasCheck)
    {
        if (!hasCheck)
        {
            writer.Line("return true;");
            return;
        }

        using (writer.Block($"if ({EmittedNames.CheckInvariants}())"))
        {
            writer.Line($"return {EmittedNames.StatusTracker}.IsServing;");
        }

        writer.Line();
        writer.Line($"{EmittedNames.StatusTracker}.TryFault();");
        writer.Line("return false;");
    }
}
