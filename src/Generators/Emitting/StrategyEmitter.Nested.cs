namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// <c>AllocateNested</c>, <c>DeallocateNested</c> and <c>OwnsNested</c>: the entry points for a strategy that holds
/// this one and routes requests to it (docs/composing-strategies.md). The holder has already paid for what the public entry points do on
/// every call (the thread-local lookup, the status gate, the size check, the statistics), so these do none of it
/// unless asked: they take this strategy's <c>StrategyThread</c> from the holder, and record statistics only when
/// <c>recordStatistics</c> is true. A strategy whose calls are guarded (a <c>[Cleanup]</c>, or
/// <c>TrackAllocations</c>) still marks each nested call on the object it is given, as its public entry points do: its
/// core may rely on the mark (the reference pool's cache takes it as the owner's flag against thieves), and its
/// <c>Dispose</c> then waits for the nested calls too.
/// </summary>
internal static partial class StrategyEmitter
{
    private static void EmitNestedEntryPoints(SourceWriter writer, StrategyModel model)
    {
        // Each body once: in the entry point itself, or in its marked method for a guarded strategy.
        string allocateBody = AllocateBody(model, admittedIn: null);
        string deallocateBody = DeallocateBody(model, nested: true);
        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// <see cref="Allocate"/> for a strategy that holds this one (<see cref="{{TypeNames.StatusTracker}}.AttachTo"/>) and
            /// routes requests to it: no thread-local lookup, no size check, and statistics only when asked. The holder
            /// guarantees what those would check: it took this strategy over while serving (so it cannot be disposed
            /// while the holder serves), and it sends only sizes from 1 to
            /// <see cref="MaxAllocationSize"/>. The status is still read: a Faulted strategy refuses (null, counted as a
            /// refused allocation), as its public <see cref="Allocate"/> would, so the holder can serve the request
            /// elsewhere; one not validated yet is validated first. Exhaustion is still counted, and moves Ready to
            /// Degraded. There is no fault handler: an exception from the core reaches the holder. A strategy whose calls
            /// are guarded marks the call on <paramref name="thread"/> as its public entry points do.
            /// </summary>
            /// <param name="thread">This strategy's <c>StrategyThread</c> for the calling thread (<c>StatusTracker.CurrentThread</c>, kept by the holder).</param>
            /// <param name="size">The size requested, 1..<see cref="MaxAllocationSize"/> (not checked).</param>
            /// <param name="recordStatistics">Whether to count the allocation in this strategy's statistics.</param>
            /// <exception cref="global::System.ArgumentNullException"><paramref name="thread"/> is null.</exception>
            /// <exception cref="global::System.ArgumentException"><paramref name="thread"/> is not one of this strategy's.</exception>
            /// <returns>The block, or <see langword="null"/> when exhausted or not serving.</returns>
            {{TypeNames.AggressiveInlining}}
            """);
        using (writer.Block($"public void* {MarkerNames.AllocateNestedMethod}({TypeNames.StrategyThread} thread, nuint size, bool recordStatistics)"))
        {
            EmitThreadCheck(writer);
            writer.Lines($$"""
                // Ready or Degraded (1..2) serve; anything else goes out of line. One load of the status word, which the
                // strategy's own fields point at: a fault that happened after the holder last validated is not missed.
                if ((uint){{EmittedNames.CurrentStatus}} - 1u >= 2u)
                {
                    return {{EmittedNames.AllocateNestedNotServing}}(thread, size, recordStatistics);
                }

                """);
            EmitNestedBody(writer, model, allocateBody, "void*", EmittedNames.AllocateNestedMarked, "size");
        }

        EmitMarkedNestedBody(writer, model, allocateBody, "void*", MarkerNames.AllocateNestedMethod, EmittedNames.AllocateNestedMarked, "nuint size");

        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// <see cref="{{MarkerNames.AllocateNestedMethod}}"/> when the status read was not Ready or Degraded: the first
            /// validation runs if the strategy is still Uninitialized (then it serves if that left it serving); a Faulted
            /// or Disposed strategy refuses, counted as its public <see cref="Allocate"/> counts a refusal.
            /// </summary>
            [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
            private void* {{EmittedNames.AllocateNestedNotServing}}({{TypeNames.StrategyThread}} thread, nuint size, bool recordStatistics)
            {
                if ({{EmittedNames.CurrentStatus}} == {{TypeNames.StrategyStatus}}.Uninitialized)
                {
                    Validate();
                }

                if (!{{EmittedNames.StatusTracker}}.IsServing)
                {
                    {{EmittedNames.StatusTracker}}.RecordRefusedAllocation();
                    return null;
                }

                // Serving now, for good or until a fault (no status returns to Uninitialized): at most one more pass.
                return {{MarkerNames.AllocateNestedMethod}}(thread, size, recordStatistics);
            }
            """);

        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// <see cref="Deallocate"/> for a strategy that holds this one: no thread-local lookup, no status gate, and the
            /// deallocation counted only when asked; a refused pointer (not a live block of this strategy) is always
            /// counted, and reported to the holder as <see langword="false"/> so that it can count it too. A strategy whose
            /// calls are guarded marks the call on <paramref name="thread"/> as its public entry points do.
            /// </summary>
            /// <param name="thread">This strategy's <c>StrategyThread</c> for the calling thread (kept by the holder).</param>
            /// <param name="ptr">The block to return; not null (not checked).</param>
            /// <param name="recordStatistics">Whether to count the deallocation in this strategy's statistics.</param>
            /// <exception cref="global::System.ArgumentNullException"><paramref name="thread"/> is null.</exception>
            /// <exception cref="global::System.ArgumentException"><paramref name="thread"/> is not one of this strategy's.</exception>
            /// <returns>Whether the block was taken back.</returns>
            {{TypeNames.AggressiveInlining}}
            """);
        using (writer.Block($"public bool {MarkerNames.DeallocateNestedMethod}({TypeNames.StrategyThread} thread, void* ptr, bool recordStatistics)"))
        {
            EmitThreadCheck(writer);
            EmitNestedBody(writer, model, deallocateBody, "bool", EmittedNames.DeallocateNestedMarked, "ptr");
        }

        EmitMarkedNestedBody(writer, model, deallocateBody, "bool", MarkerNames.DeallocateNestedMethod, EmittedNames.DeallocateNestedMarked, "void* ptr");

        // The ownership answer of Owns, without what the holder's own Owns already did: its thread-local lookup, its
        // in-call mark and its status test cover this strategy too (it cannot be disposed while the holder serves).
        string answer = model.TrackAllocations
            ? $"{EmittedNames.LiveAllocations}.Contains((nint)ptr)"
            : model.Markers.Owns is null ? "false"
            : $"{model.Markers.Owns}(ptr)";
        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// <see cref="Owns"/> for a strategy that holds this one: the same answer with no thread-local lookup, no
            /// in-call mark and no status test, which the holder's own <c>Owns</c> made for both. There is no fault
            /// handler: an exception from the ownership test reaches the holder.
            /// </summary>
            /// <param name="ptr">The pointer to test; null is not owned.</param>
            /// <returns>Whether <paramref name="ptr"/> is a live block of this strategy.</returns>
            {{TypeNames.AggressiveInlining}}
            public bool {{MarkerNames.OwnsNestedMethod}}(void* ptr) => ptr is not null && {{answer}};
            """);
    }

    /// <summary>
    /// A nested entry point's body: in line, or, for a guarded strategy, a call of the method that holds it
    /// (<paramref name="markedName"/>, <see cref="EmitMarkedNestedBody"/>) inside the call's mark.
    /// </summary>
    private static void EmitNestedBody(SourceWriter writer, StrategyModel model, string body, string type, string markedName, string argument) =>
        writer.Lines(GuardsCalls(model) ? MarkedNestedCall(model, type, $"{markedName}(thread, {argument}, recordStatistics)") : body);

    /// <summary>For a guarded strategy, the method that holds a nested entry point's body (see <see cref="EmitNestedBody"/>).</summary>
    private static void EmitMarkedNestedBody(
        SourceWriter writer, StrategyModel model, string body, string type, string entryName, string markedName, string parameter)
    {
        if (!GuardsCalls(model))
        {
            return;
        }

        writer.Line();
        writer.Line($"/// <summary>The body of <see cref=\"{entryName}\"/>, inside its call's mark.</summary>");
        writer.Line(TypeNames.AggressiveInlining);
        using (writer.Block($"private {type} {markedName}({TypeNames.StrategyThread} thread, {parameter}, bool recordStatistics)"))
        {
            writer.Lines(body);
        }
    }

    /// <summary>
    /// A guarded strategy's nested call of <paramref name="body"/> (a method returning <paramref name="type"/>) inside
    /// the call's mark on the holder's object, as the public entry points mark theirs. With fault handlers the mark is
    /// left however the body ends (a <c>finally</c>), so a core's exception, which reaches the holder, leaves no call
    /// marked for this strategy's <c>Dispose</c> to wait on; without them (<c>FaultOnCoreException = false</c>), as in
    /// the public entry points, an exception leaves the mark behind.
    /// </summary>
    private static string MarkedNestedCall(StrategyModel model, string type, string body) =>
        model.FaultOnCoreException
            ? $$"""
                // Marked in a call of this strategy, as its public entry points mark theirs: its core may rely on it, and
                // its Dispose waits for it.
                thread.EnterCall();
                try
                {
                    return {{body}};
                }
                finally
                {
                    thread.ExitCall();
                }
                """
            : $$"""
                // Marked in a call of this strategy, as its public entry points mark theirs: its core may rely on it, and
                // its Dispose waits for it. No handler (FaultOnCoreException = false): an exception leaves the mark.
                thread.EnterCall();
                {{type}} result = {{body}};
                thread.ExitCall();
                return result;
                """;

    /// <summary>
    /// The nested entry points' first statement: the object the holder passed must be this strategy's, so that a core
    /// receives only objects of its own tracker (the lookup's guarantee on the public entry points), of the type its
    /// factory fixed, whichever entry point it was reached through.
    /// </summary>
    private static void EmitThreadCheck(SourceWriter writer)
    {
        writer.Lines($$"""
            // The holder chose this object, not the lookup: it must be one of this strategy's (one compare), so the core
            // receives only its own tracker's objects, whatever entry point reached it.
            {{EmittedNames.TrackerHandle}}.CheckThread(thread);

            """);
    }
}
