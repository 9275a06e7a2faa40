namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// <c>Validate</c>: with a <c>[Validate]</c>, the tracker's <c>RunValidation</c> around the user's check (under the fault
/// handler); without one, a single inline comparison and the first validation (Uninitialized to Ready) out of line.
/// </summary>
internal static partial class StrategyEmitter
{
    private static void EmitValidate(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        bool hasCheck = model.Markers.Validate is not null;
        if (hasCheck)
        {
            // The user's [Validate] may call back into the strategy (the C interface's validator, its own Allocate):
            // the tracker runs it with the re-entrancy, run-once and in-call rules (StatusTracker.RunValidation).
            writer.Line("/// <inheritdoc/>");
            writer.Lines($$"""
                public bool Validate() =>
                    // The first validation runs the check once (racing callers share its outcome); a validation nested in
                    // this thread's own check returns true without running it again; a failing check faults the strategy.
                    {{EmittedNames.StatusTracker}}.RunValidation(this, static strategy => strategy.{{EmittedNames.CheckInvariants}}());
                """);
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
            using (writer.Block($"private bool {EmittedNames.ValidateSlow}()"))
            using (writer.Block($"switch ({EmittedNames.CurrentStatus})"))
            {
                writer.Line($"case {TypeNames.StrategyStatus}.Uninitialized:");
                using (writer.Indented())
                {
                    writer.Line("// The first validation: of racing callers one transition wins, and all report its outcome.");
                    writer.Line($"return {EmittedNames.StatusTracker}.TryInitialize(true);");
                }

                writer.Line($"case {TypeNames.StrategyStatus}.Ready:");
                writer.Line($"case {TypeNames.StrategyStatus}.Degraded:");
                using (writer.Indented())
                {
                    writer.Line("return true;");
                }

                writer.Line("default:");
                using (writer.Indented())
                {
                    writer.Line("return false;");
                }
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
}
