namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// <c>Dispose</c>: the transition to Disposed, then, once the calls in flight are done, the blocks a
/// <c>TrackAllocations</c> strategy still holds handed back to its core and the user's <c>[Cleanup]</c> run, once; a
/// <c>Thread.Interrupt</c> that reached the wait is raised again after them.
/// </summary>
internal static partial class StrategyEmitter
{
    private static void EmitDispose(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        using (writer.Block("public void Dispose()"))
        {
            if (!GuardsCalls(model))
            {
                writer.Line($"{EmittedNames.StatusTracker}.TryDispose();");
                return;
            }

            writer.Line(model.TrackAllocations
                ? "// TryDispose succeeds for exactly one caller, so the release runs once however many threads dispose."
                : "// TryDispose succeeds for exactly one caller, so the cleanup runs once however many threads dispose.");
            using (writer.Block($"if ({EmittedNames.StatusTracker}.TryDispose())"))
            {
                writer.Line("// Calls admitted before the status read Disposed finish first; later ones are refused (see EnterCall).");
                writer.Line($"{EmittedNames.StatusTracker}.WaitForCallsInFlight(out bool interrupted);");
                using (writer.Block("try"))
                {
                    EmitReleaseThenCleanup(writer, model);
                }

                using (writer.Block("finally"))
                {
                    writer.Line("// A Thread.Interrupt that reached the wait is raised again only now: raised before, it would cut the cleanup");
                    writer.Line("// short at its first wait, sleep or lock.");
                    using (writer.Block("if (interrupted)"))
                    {
                        writer.Line($"{TypeNames.Thread}.CurrentThread.Interrupt();");
                    }
                }
            }
        }

        if (model.TrackAllocations)
        {
            EmitReleaseLiveAllocations(writer, model);
        }
    }

    /// <summary>The steps after the calls in flight: the live blocks back to the core, then the cleanup (even if the core threw).</summary>
    private static void EmitReleaseThenCleanup(SourceWriter writer, StrategyModel model)
    {
        if (!model.TrackAllocations)
        {
            writer.Line($"{model.Markers.Cleanup}();");
            return;
        }

        if (model.Markers.Cleanup is null)
        {
            writer.Line($"{EmittedNames.ReleaseLiveAllocations}();");
            return;
        }

        writer.Lines($$"""
            try
            {
                {{EmittedNames.ReleaseLiveAllocations}}();
            }
            finally
            {
                {{model.Markers.Cleanup}}();
            }
            """);
    }

    /// <summary>
    /// The release of a <c>TrackAllocations</c> strategy's live blocks at <c>Dispose</c>: the registry knows each block
    /// the core handed out and no caller returned, and after Disposed no caller can (its frees are refused), so without
    /// this they would be lost for good (a pass-through over <c>malloc</c> would leak them). Each goes to the core as a
    /// free would, with no statistics (they were never freed by a user: the statistics keep them as live, which is what
    /// shows the leak) and no poisoning (nothing hands them out again). A core that throws for one block does not stop
    /// the others: each is handed over under a handler, and the first exception is rethrown at the end.
    /// </summary>
    private static void EmitReleaseLiveAllocations(SourceWriter writer, StrategyModel model)
    {
        MarkerMethods markers = model.Markers;
        bool takesThread = markers.DeallocateTakesThread || markers.DeallocateSlow is { TakesThread: true };
        string core = CoreCall(markers.Deallocate, markers.DeallocateTakesThread, "(void*)address");
        string release = markers.DeallocateSlow is { } slow
            ? $$"""
                // The fast half takes the block, or leaves it to the slow half.
                if (!{{core}})
                {
                    {{CoreCall(slow.Name, slow.TakesThread, "(void*)address")}};
                }
                """
            : $"{core};";

        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// Hands the blocks still live at <c>Dispose</c> back to the core (after the calls in flight), every one of them even when");
        writer.Line("/// the core throws: the first exception is rethrown at the end.");
        writer.Line("/// </summary>");
        using (writer.Block($"private void {EmittedNames.ReleaseLiveAllocations}()"))
        {
            writer.Line($"nint[] live = {EmittedNames.LiveAllocations}.RemoveAll();");
            if (takesThread)
            {
                using (writer.Block("if (live.Length == 0)"))
                {
                    writer.Line("return;");
                }

                writer.Line();
                writer.Line($"{TypeNames.StrategyThread} thread = {EmittedNames.CurrentThread};");
            }

            writer.Line($"{TypeNames.ExceptionDispatchInfo}? failure = null;");
            // Each block is handed to the core under a handler of its own: RemoveAll has taken every block out of the
            // registry, so a block skipped after a core that threw could never be freed by anyone. The first exception
            // is rethrown, with its own stack, once every block has had its turn; the [Cleanup], in the caller's finally,
            // runs either way.
            using (writer.Block("foreach (nint address in live)"))
            {
                using (writer.Block("try"))
                {
                    writer.Lines(release);
                }

                using (writer.Block($"catch ({TypeNames.Exception} error)"))
                {
                    writer.Line("// Kept, not thrown yet: the blocks after this one still go back to the core.");
                    writer.Line($"failure ??= {TypeNames.ExceptionDispatchInfo}.Capture(error);");
                }
            }

            writer.Line();
            writer.Line("// The first exception a core threw, once no block is left behind.");
            writer.Line("failure?.Throw();");
        }
    }
}
