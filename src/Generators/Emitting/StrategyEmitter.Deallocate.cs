using System.Text;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// <c>Deallocate</c>: the inlined entry, the gate (<c>...DeallocateOn</c>), the admitted path (the ownership test, the
/// core call) under the fault handler, and the out-of-line slow path and refusal.
/// </summary>
internal static partial class StrategyEmitter
{
    /// <summary>The deallocation fast path's gate: Ready, Degraded or Faulted, and a non-null pointer.</summary>
    private const string DeallocationGate = "(uint)" + EmittedNames.CurrentStatus + " - 1u < 3u && ptr is not null";

    /// <summary>The refusal of a pointer the strategy does not own.</summary>
    private const string RefuseNotOwned =
        EmittedNames.StatusTracker + ".RecordRefusedDeallocation(" + TypeNames.DeallocationRefusal + ".NotOwned);";

    private static void EmitDeallocate(SourceWriter writer, StrategyModel model)
    {
        string body = DeallocateBody(model);
        writer.Line();
        EmitInlinedEntry(writer, "void Deallocate(void* ptr)", $"{EmittedNames.DeallocateOn}({EmittedNames.CurrentThread}, ptr);");
        writer.Line();
        writer.Line("/// <summary><see cref=\"Deallocate\"/> for a caller that holds the calling thread's <c>StrategyThread</c>.</summary>");
        writer.Line(TypeNames.AggressiveInlining);
        EmitGatedMethod(
            writer,
            model,
            $"private void {EmittedNames.DeallocateOn}({TypeNames.StrategyThread} thread, void* ptr)",
            """
            // Fast path: Ready, Degraded and Faulted (1..3) take blocks back; a faulted strategy must still let its
            // users return memory.
            """,
            DeallocationGate,
            $"{EmittedNames.DeallocateAdmitted}(thread, ptr);\nreturn;",
            ExitsCallInBody(model)
                ? $"// The body leaves the call on every way out.\n{EmittedNames.DeallocateAdmitted}(thread, ptr);\nreturn;"
                : $"{EmittedNames.DeallocateAdmitted}(thread, ptr);\n{ExitCall}\nreturn;",
            body,
            $"{EmittedNames.DeallocateSlow}(ptr);");

        EmitAdmittedMethod(
            writer,
            model,
            "An admitted pointer: the ownership test, the core call and the statistics, under the fault handler.",
            $"void {EmittedNames.DeallocateAdmitted}({TypeNames.StrategyThread} thread, void* ptr)",
            body);
        if (SplitsDeallocation(model))
        {
            EmitDeallocateSlowHalf(writer, model, model.Markers.DeallocateSlow!);
        }

        EmitDeallocateSlowPath(writer, model);
    }

    /// <summary>
    /// Whether the gated body calls the core's slow half (<c>[DeallocateSlow]</c>) out of line, in a method that also
    /// records and leaves the call (<see cref="EmitDeallocateSlowHalf"/>): where the body leaves the call itself (no
    /// fault handler, no registry, no poisoning). Elsewhere the slow half is called in line, right after the fast one.
    /// </summary>
    private static bool SplitsDeallocation(StrategyModel model) =>
        model.Markers.DeallocateSlow is not null && ExitsCallInBody(model);

    /// <summary>The refusal of a pointer the strategy does not own: recorded, and the call left too where the body leaves it.</summary>
    private static string NotOwnedRefusal(bool exits) => exits
        ? $"{EmittedNames.TrackerHandle}.RecordRefusedDeallocationAndExitCall(thread, {TypeNames.DeallocationRefusal}.NotOwned);"
        : RefuseNotOwned;

    /// <summary>
    /// The core's slow half when the fast half declined a pointer, out of line: it decides (takes the block, or refuses
    /// it when it returns bool), then the statistics and the end of the call, so that the gated body keeps nothing
    /// across a call.
    /// </summary>
    private static void EmitDeallocateSlowHalf(SourceWriter writer, StrategyModel model, SlowCore slow)
    {
        string call = CoreCall(slow.Name, slow.TakesThread, "ptr");
        string decide = slow.ReportsOwnership
            ? RefuseUnless(
                "// The slow half decides ownership: false refuses a foreign, interior or freed pointer.",
                call,
                NotOwnedRefusal(exits: true),
                "return;")
            : $"{call};\n\n";
        writer.Lines($$"""

            /// <summary>
            /// The core's slow half (<c>[DeallocateSlow]</c>) for a pointer its fast half declined: out of line, with the
            /// statistics and the end of the call, so the fast path keeps nothing across a call.
            /// </summary>
            {{TypeNames.NoInlining}}
            """);
        using (writer.Block($"private void {EmittedNames.DeallocateSlowHalf}({TypeNames.StrategyThread} thread, void* ptr)"))
        {
            writer.Lines($"{decide}{EmittedNames.TrackerHandle}.RecordDeallocationAndExitCall(thread);");
        }
    }

    /// <summary>
    /// The fast path's body, once <c>thread</c> is known: the ownership test, the core call, the statistics. For the
    /// nested entry (<paramref name="nested"/>) it returns whether the block was taken, and records the deallocation
    /// only when the holder asks (refusals are always counted).
    /// </summary>
    private static string DeallocateBody(StrategyModel model, bool nested = false)
    {
        string refused = nested ? "return false;" : "return;";

        // Only the gated body leaves the call (the nested entry has no call of its own to leave): its refusal records
        // and leaves out of line.
        bool exits = !nested && ExitsCallInBody(model);
        string refusal = NotOwnedRefusal(exits);
        bool reports = model.Markers.DeallocateReportsOwnership;

        // Who decides ownership before the core runs: the live-pointer registry, else the user's [Owns] unless the
        // core decides it itself ([Deallocate] returns bool). Poisoning writes the block before the core takes it
        // back, so it needs the answer first and asks [Owns] even then.
        bool ownsFirst = !model.TrackAllocations && model.Markers.Owns is not null && (!reports || model.PoisonFreedMemory);
        var body = new StringBuilder();
        if (model.TrackAllocations)
        {
            body.Append(RefuseUnless(
                "// Removing decides ownership atomically: of two racing frees of one block exactly one passes.",
                $"{EmittedNames.LiveAllocations}.TryRemove((nint)ptr)",
                refusal,
                refused));
        }
        else if (ownsFirst)
        {
            body.Append(RefuseUnless(
                "// The strategy's [Owns] decides: foreign, interior and freed pointers never reach the core.",
                $"{model.Markers.Owns}(ptr)",
                refusal,
                refused));
        }

        // With a registry, the block left it above: what follows, up to the core's answer, runs under a handler that
        // puts it back when it throws (see KeepLiveIfCoreThrows).
        StringBuilder registered = body;
        if (model.TrackAllocations)
        {
            body = new StringBuilder();
        }

        if (model.PoisonFreedMemory)
        {
            body.Append($$"""
                // Debug option: poison the block while it is still ours, before the core takes it back.
                {{EmittedNames.FreedMemoryPoison}}.Poison(ptr);


                """);
        }

        string core = CoreCall(model.Markers.Deallocate, model.Markers.DeallocateTakesThread, "ptr");
        string coreSaysNo = "// The core decides ownership itself: false refuses a foreign, interior or freed pointer.";
        string declined = refusal;
        if (!nested && SplitsDeallocation(model))
        {
            // The fast half's false is not a refusal: the slow half decides, out of line, and records and leaves the call.
            coreSaysNo = "// The core's fast half took the block, or changed nothing and leaves it to its slow half, out of line.";
            declined = $"{EmittedNames.DeallocateSlowHalf}(thread, ptr);";
        }
        else if (model.Markers.DeallocateSlow is { } slow)
        {
            string slowCall = CoreCall(slow.Name, slow.TakesThread, "ptr");
            // Indented by hand: the lines of an interpolated value are not.
            string decide = slow.ReportsOwnership ? $"    taken = {slowCall};" : $"    {slowCall};\n    taken = true;";
            body.Append($$"""
                // The core's fast half took the block, or changed nothing and leaves the decision to its slow half.
                bool taken = {{core}};
                if (!taken)
                {
                {{decide}}
                }


                """);
            core = "taken";
        }

        if (reports && model.TrackAllocations)
        {
            body.Append($$"""
                // The registry held the block live, so the core must take it: a refusal means the two disagree.
                if (!{{core}})
                {
                    {{EmittedNames.RefuseDisownedBlock}}(ptr);
                    {{refused}}
                }


                """);
        }
        else if (reports)
        {
            body.Append(RefuseUnless(coreSaysNo, core, declined, refused));
        }
        else
        {
            body.Append($"{core};\n");
        }

        if (model.TrackAllocations)
        {
            body = registered.Append(KeepLiveIfCoreThrows(body.ToString()));
        }

        body.Append(nested
            ? $$"""
                if (recordStatistics)
                {
                    {{EmittedNames.TrackerHandle}}.RecordDeallocation(thread);
                }

                return true;
                """
            : exits
                ? $$"""
                    {{EmittedNames.TrackerHandle}}.RecordDeallocationAndExitCall(thread);
                    return;
                    """
                : $$"""
                    {{EmittedNames.TrackerHandle}}.RecordDeallocation(thread);
                    return;
                    """);
        return body.ToString();
    }

    /// <summary>
    /// <paramref name="core"/> (the core's call and what decides on its answer) under a handler that, when it throws,
    /// puts the block back in the live-pointer registry before the exception goes on: the core did not take it back, or
    /// left its state unknown, so it stays live. A retried free then reaches the core again, the statistics (which never
    /// counted the free) agree with the registry, and the release at <c>Dispose</c> hands it back. Without this the
    /// block was in neither, lost to the strategy.
    /// </summary>
    private static string KeepLiveIfCoreThrows(string core)
    {
        var indented = new StringBuilder();
        foreach (string line in core.TrimEnd('\n').Split('\n'))
        {
            indented.Append(line.Length == 0 ? "\n" : "    " + line + "\n");
        }

        return $$"""
            try
            {
            {{indented.ToString().TrimEnd('\n')}}
            }
            catch
            {
                // The core threw: the block stays live (an address taken meanwhile by another allocation is live too).
                {{EmittedNames.LiveAllocations}}.TryAdd((nint)ptr);
                throw;
            }


            """;
    }

    /// <summary>An ownership test of the deallocation fast path: when it fails, the pointer is refused as not owned.</summary>
    private static string RefuseUnless(string comment, string test, string refusal, string refused) => $$"""
        {{comment}}
        if (!{{test}})
        {
            {{refusal}}
            {{refused}}
        }


        """;

    private static void EmitDeallocateSlowPath(SourceWriter writer, StrategyModel model)
    {
        writer.Lines($$"""

            {{TypeNames.NoInlining}}
            private void {{EmittedNames.DeallocateSlow}}(void* ptr)
            {
                if (ptr is null)
                {
                    {{EmittedNames.StatusTracker}}.RecordRefusedDeallocation({{TypeNames.DeallocationRefusal}}.NullPointer);
                    return;
                }

                if ({{EmittedNames.CurrentStatus}} == {{TypeNames.StrategyStatus}}.Uninitialized)
                {
                    Validate();
                }

                if ({{EmittedNames.CurrentStatus}} == {{TypeNames.StrategyStatus}}.Disposed)
                {
                    {{EmittedNames.StatusTracker}}.RecordRefusedDeallocation({{TypeNames.DeallocationRefusal}}.StrategyDisposed);
                    return;
                }

            """);
        if (model.Markers.Validate is not null)
        {
            writer.Lines($$"""
                    if ({{EmittedNames.CurrentStatus}} == {{TypeNames.StrategyStatus}}.Uninitialized)
                    {
                        // Still Uninitialized after Validate: this free comes from inside the first validation's own
                        // [Validate], which is deciding now. Nothing can be live yet, so it is refused, not recursed on.
                        {{RefuseNotOwned}}
                        return;
                    }

                """);
        }

        writer.Lines("""
                // Ready, Degraded or Faulted now (the status never returns to Uninitialized): the fast path takes it.
                Deallocate(ptr);
            }
            """);
        if (model.Markers.DeallocateReportsOwnership && model.TrackAllocations)
        {
            writer.Lines($$"""

                {{TypeNames.NoInlining}}
                private void {{EmittedNames.RefuseDisownedBlock}}(void* ptr)
                {
                    // The registry said the block was live and the core refused it: their states disagree, so the core's is
                    // unknown. The block goes back into the registry (the core still holds it, and a later free must find
                    // it), the strategy faults rather than guess, and the free is counted as refused.
                    {{EmittedNames.LiveAllocations}}.TryAdd((nint)ptr);
                    {{EmittedNames.StatusTracker}}.TryFault();
                    {{RefuseNotOwned}}
                }
                """);
        }
    }
}
