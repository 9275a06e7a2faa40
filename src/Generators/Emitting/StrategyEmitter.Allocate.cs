using System.Text;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// <c>Allocate</c>: the inlined entry, the gate (<c>...AllocateOn</c>), the admitted path under the fault handler, and
/// the out-of-line slow path and refusal.
/// </summary>
internal static partial class StrategyEmitter
{
    /// <summary>
    /// The allocation fast path's one read of the status word: the gate tests it, and a successful allocation passes it
    /// to <c>RecordAllocation</c>, which leaves Degraded when that is what it says (no second read).
    /// </summary>
    private const string ReadStatus = TypeNames.StrategyStatus + " status = " + EmittedNames.CurrentStatus + ";";

    /// <summary>
    /// The allocation fast path's gate: Ready, and 0 &lt; size &lt;= this instance's limit. Degraded (after an
    /// exhaustion, until an allocation succeeds) is served out of line by <see cref="ServingGate"/>: past this gate the
    /// JIT knows the status is Ready, so the statistics' test for leaving Degraded folds away and the status need not
    /// be kept across the core call.
    /// </summary>
    private const string AllocationGate =
        TypeNames.StrategyStatus + ".Ready == status && unchecked(size - 1) < " + EmittedNames.InstanceMaxAllocationSize;

    /// <summary>The fast path's status past its gate.</summary>
    private const string ReadyStatus = TypeNames.StrategyStatus + ".Ready";

    /// <summary>The slow path's gate: Ready or Degraded, and 0 &lt; size &lt;= this instance's limit.</summary>
    private const string ServingGate =
        "(uint)status - 1u < 2u && unchecked(size - 1) < " + EmittedNames.InstanceMaxAllocationSize;

    private static void EmitAllocate(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        EmitInlinedEntry(writer, "void* Allocate(nuint size)", $"return {EmittedNames.AllocateOn}({EmittedNames.CurrentThread}, size);");
        writer.Lines($$"""

            /// <summary>
            /// <see cref="Allocate"/> for a caller that holds the calling thread's <c>StrategyThread</c>
            /// (<see cref="ThreadScope"/>): the same fast path without the thread-local lookup.
            /// </summary>
            {{TypeNames.AggressiveInlining}}
            """);
        // Past the fast gate the status is Ready: passed as a constant, it folds the test for leaving Degraded away.
        EmitAllocateGate(
            writer,
            model,
            EmittedNames.AllocateOn,
            $$"""
            // Fast path: one volatile read of the status word (Ready serves here; Degraded in the slow path) and one
            // comparison for 0 < size <= max (size 0 wraps around to the largest value). No lock, no shared atomic write.
            {{ReadStatus}}
            """,
            AllocationGate,
            ReadyStatus,
            AllocateBody(model, admittedIn: ReadyStatus));

        writer.Lines($$"""

            /// <summary>The slow path's way in: the fast path's body for Ready and Degraded alike (Degraded is left here).</summary>
            {{TypeNames.NoInlining}}
            """);
        string body = AllocateBody(model, admittedIn: "status");
        EmitAllocateGate(writer, model, EmittedNames.AllocateServing, ReadStatus, ServingGate, "status", body);

        EmitAdmittedMethod(
            writer,
            model,
            "An admitted request: the core call, the options and the statistics, under the fault handler.",
            $"void* {EmittedNames.AllocateAdmitted}({TypeNames.StrategyThread} thread, nuint size, {TypeNames.StrategyStatus} status)",
            body);
        if (model.Markers.AllocateSlow is { } slow && ExitsCallInBody(model))
        {
            EmitAllocateSlowHalf(writer, model, slow);
        }

        EmitAllocateSlowPath(writer, model);
    }

    /// <summary>
    /// One of the two gated ways into the body (see <see cref="EmitGatedMethod"/>): <paramref name="name"/>'s gate, and
    /// the admitted request passed <paramref name="admittedIn"/>, the status it was admitted in, and
    /// <paramref name="body"/> (<see cref="AllocateBody"/> with the same status) where there is no admitted method.
    /// </summary>
    private static void EmitAllocateGate(
        SourceWriter writer, StrategyModel model, string name, string preamble, string gate, string admittedIn, string body) =>
        EmitGatedMethod(
            writer,
            model,
            $"private void* {name}({TypeNames.StrategyThread} thread, nuint size)",
            preamble,
            gate,
            $"return {EmittedNames.AllocateAdmitted}(thread, size, {admittedIn});",
            ExitsCallInBody(model)
                ? $"// The body leaves the call on every way out.\nreturn {EmittedNames.AllocateAdmitted}(thread, size, {admittedIn});"
                : $"void* ptr = {EmittedNames.AllocateAdmitted}(thread, size, {admittedIn});\n{ExitCall}\nreturn ptr;",
            body,
            $"return {EmittedNames.AllocateSlow}(size);");

    /// <summary>
    /// The fast path's body, once <c>thread</c> is known: the core call, the options, the statistics, recorded with
    /// <paramref name="admittedIn"/> (the expression of the status the request was admitted in). For the nested entry
    /// (<paramref name="admittedIn"/> null) the statistics are recorded only when the holder asks. A split core's fast
    /// half sends a declined request to its slow half, out of line where the body leaves the call, in line elsewhere;
    /// <paramref name="slowHalf"/> makes the body of that out-of-line method, on the slow half alone.
    /// </summary>
    private static string AllocateBody(StrategyModel model, string? admittedIn, SlowCore? slowHalf = null)
    {
        // Only the gated body leaves the call (the nested entry has no call of its own to leave).
        bool exits = admittedIn is not null && ExitsCallInBody(model);
        string fast = CoreCall(model.Markers.Allocate, model.Markers.AllocateTakesThread, "size");
        var body = new StringBuilder();
        if (slowHalf is not null)
        {
            // The out-of-line slow half's own body (EmitAllocateSlowHalf).
            body.Append(Exhaustion(exits, $"void* ptr = {SlowAllocation(slowHalf)};"));
        }
        else if (model.Markers.AllocateSlow is not null && exits)
        {
            // Split: the fast half's null sends the request out of line, where the slow half is counted and the call left.
            body.Append($$"""
                void* ptr = {{fast}};
                if (ptr is null)
                {
                    // The core's fast half declined: its slow half, out of line with the statistics and the end of the call.
                    return {{EmittedNames.AllocateSlowHalf}}(thread, size, {{admittedIn}});
                }


                """);
        }
        else if (model.Markers.AllocateSlow is { } inlineSlow)
        {
            body.Append(Exhaustion(exits, $$"""
                void* ptr = {{fast}};
                if (ptr is null)
                {
                    // The core's fast half declined: its slow half serves the request, or says the strategy is exhausted.
                    ptr = {{SlowAllocation(inlineSlow)}};
                }

                """));
        }
        else
        {
            body.Append(Exhaustion(exits, $"void* ptr = {fast};"));
        }

        AppendAllocationTail(body, model, admittedIn, exits);
        return body.ToString();
    }

    /// <summary>The call of a split core's slow half.</summary>
    private static string SlowAllocation(SlowCore slow) => CoreCall(slow.Name, slow.TakesThread, "size");

    /// <summary>
    /// The out-of-line slow half of a split allocation core (<c>[AllocateSlow]</c>), for a request its fast half
    /// declined: the same body as the fast path's, on the slow half, so the fast path keeps nothing across a call.
    /// </summary>
    private static void EmitAllocateSlowHalf(SourceWriter writer, StrategyModel model, SlowCore slow)
    {
        writer.Lines($$"""

            /// <summary>
            /// The core's slow half (<c>[AllocateSlow]</c>) for a request its fast half declined: out of line, with the
            /// statistics and the end of the call, so the fast path keeps nothing across a call.
            /// </summary>
            {{TypeNames.NoInlining}}
            """);
        using (writer.Block($"private void* {EmittedNames.AllocateSlowHalf}({TypeNames.StrategyThread} thread, nuint size, {TypeNames.StrategyStatus} status)"))
        {
            writer.Lines(AllocateBody(model, admittedIn: "status", slowHalf: slow));
        }
    }

    /// <summary>The core's call (<paramref name="core"/>, which sets <c>ptr</c>) and the exhaustion it may report.</summary>
    private static string Exhaustion(bool exits, string core) =>
        exits
            ? $$"""
                {{core}}
                if (ptr is null)
                {
                    // Exhaustion: counted, and Ready moves to Degraded; the call is left out of line.
                    return {{EmittedNames.TrackerHandle}}.RecordFailedAllocationAndExitCall(thread);
                }


                """
            : $$"""
                {{core}}
                if (ptr is null)
                {
                    // Exhaustion: counted, and Ready moves to Degraded.
                    {{EmittedNames.StatusTracker}}.RecordFailedAllocation();
                    return null;
                }


                """;

    /// <summary>
    /// What follows a served allocation: the options (<c>TrackAllocations</c>, poisoning, zeroing) and the statistics,
    /// recorded with <paramref name="admittedIn"/> (see <see cref="AllocateBody"/>).
    /// </summary>
    private static void AppendAllocationTail(StringBuilder body, StrategyModel model, string? admittedIn, bool exits)
    {
        if (model.TrackAllocations)
        {
            body.Append($$"""
                // The block becomes live before the caller can see it, so a free racing the return still finds it.
                if (!{{EmittedNames.LiveAllocations}}.TryAdd((nint)ptr))
                {
                    return {{EmittedNames.RefuseLiveBlock}}();
                }


                """);
        }

        if (model.PoisonFreedMemory)
        {
            body.Append($$"""
                // Debug option: the block must still hold the poison it was freed with. A write after free leaves the
                // block quarantined (never handed out), faults the strategy and throws.
                {{EmittedNames.FreedMemoryPoison}}.CheckAndTrack(ptr, size);


                """);
        }

        if (model.ZeroOnAllocate)
        {
            body.Append($$"""
                // ZeroOnAllocate: nothing a previous owner wrote leaves with the block.
                {{TypeNames.NativeMemory}}.Clear(ptr, size);


                """);
        }

        body.Append(admittedIn is null
            ? $$"""
                if (recordStatistics)
                {
                    {{EmittedNames.StatusTracker}}.RecordAllocation(thread, size);
                }

                return ptr;
                """
            : exits
                ? $$"""
                    // Counted, and the call left: the rare cases out of line, where the call is left too.
                    return {{EmittedNames.TrackerHandle}}.RecordAllocationAndExitCall(thread, size, {{admittedIn}}, ptr);
                    """
                : $$"""
                    {{EmittedNames.TrackerHandle}}.RecordAllocation(thread, size, {{admittedIn}});
                    return ptr;
                    """);
    }

    private static void EmitAllocateSlowPath(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        writer.Lines($$"""
            {{TypeNames.NoInlining}}
            private void* {{EmittedNames.AllocateSlow}}(nuint size)
            {
                if ({{EmittedNames.CurrentStatus}} == {{TypeNames.StrategyStatus}}.Uninitialized)
                {
                    // The first call validates the strategy once: Uninitialized moves to Ready or Faulted.
                    Validate();
                }

                if (!{{EmittedNames.StatusTracker}}.IsServing || unchecked(size - 1) >= {{EmittedNames.InstanceMaxAllocationSize}})
                {
                    // Faulted, Disposed, size 0 or above the limit: refused before it reaches the core.
                    {{EmittedNames.StatusTracker}}.RecordRefusedAllocation();
                    return null;
                }

                // Serving now (the status never returns to Uninitialized): Ready or Degraded, both served here.
                return {{EmittedNames.AllocateServing}}({{EmittedNames.CurrentThread}}, size);
            }
            """);
        if (model.TrackAllocations)
        {
            writer.Lines($$"""

                {{TypeNames.NoInlining}}
                private void* {{EmittedNames.RefuseLiveBlock}}()
                {
                    // The core handed out an address that is still live (or that no allocator can return): its state is
                    // corrupt. Handing the block out twice would let two owners share it, so fault instead.
                    {{EmittedNames.StatusTracker}}.TryFault();
                    {{EmittedNames.StatusTracker}}.RecordFailedAllocation();
                    return null;
                }
                """);
        }
    }
}
