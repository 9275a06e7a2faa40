namespace MemoryStrategy.SourceGeneration;

/// <summary><c>Owns</c>: the live-pointer registry's answer, else the user's <c>[Owns]</c> under the fault handler.</summary>
internal static partial class StrategyEmitter
{
    private static void EmitOwns(SourceWriter writer, StrategyModel model)
    {
        // A user's [Owns] runs through ...CallOwns, which refuses a question the test asks itself on the same thread
        // (StrategyThread.TryEnterOwns) and, with handlers, faults the strategy when the test throws.
        bool userOwns = !model.TrackAllocations && model.Markers.Owns is not null;
        // Guarded only against a [Cleanup]: the release of a tracked strategy's live blocks at Dispose leaves the
        // registry, its answer, in place (and empty), so that answer needs no guard of its own.
        bool guarded = model.Markers.Cleanup is not null;
        string answer = model.TrackAllocations
            ? $"{EmittedNames.LiveAllocations}.Contains((nint)ptr)"
            : userOwns ? $"{EmittedNames.CallOwns}(ptr, thread)"
            : "false";
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        // Inlined into callers that hold the concrete type (the validators' generic overloads, a devirtualised
        // interface call): its thread-local lookup can then share the base with the caller's other lookups. A handler
        // around [Owns], when there is one, sits in its own method, so Owns itself never catches.
        writer.Line(TypeNames.AggressiveInlining);
        if (guarded)
        {
            EmitGuardedOwns(writer, answer);
        }
        else
        {
            using (writer.Block("public bool Owns(void* ptr)"))
            {
                writer.Line("// Nothing is live once the strategy is disposed: its cleanup may have released the memory.");
                using (writer.Block($"if (ptr is null || {EmittedNames.CurrentStatus} == {TypeNames.StrategyStatus}.Disposed)"))
                {
                    writer.Line("return false;");
                }

                writer.Line();
                if (userOwns)
                {
                    writer.Line($"{TypeNames.StrategyThread} thread = {EmittedNames.CurrentThread};");
                }

                writer.Line($"return {answer};");
            }
        }

        if (userOwns)
        {
            EmitCallOwns(writer, model, guarded);
        }
    }

    /// <summary>
    /// <c>...CallOwns</c>: the user's <c>[Owns]</c>, unless this thread is inside it already (an ownership test that
    /// asks its own strategy, through a validator or <c>Owns</c>, would recurse without end: the nested question is
    /// answered false), and under the fault handler when the strategy has one (which leaves the test, and the call
    /// when guarded, before it rethrows).
    /// </summary>
    private static void EmitCallOwns(SourceWriter writer, StrategyModel model, bool guarded)
    {
        writer.Line();
        if (!model.FaultOnCoreException)
        {
            writer.Line(TypeNames.AggressiveInlining);
        }

        using (writer.Block($"private bool {EmittedNames.CallOwns}(void* ptr, {TypeNames.StrategyThread} thread)"))
        {
            writer.Lines($$"""
                // Asked again from inside this strategy's own ownership test on this thread: the test that would answer is
                // the one running, so the nested question is refused rather than recursed on.
                if (!thread.TryEnterOwns())
                {
                    return false;
                }

                """);
            string body = $$"""
                bool owned = {{model.Markers.Owns}}(ptr);
                thread.ExitOwns();
                return owned;
                """;
            if (model.FaultOnCoreException)
            {
                EmitFaultHandler(writer, body, onFault: "thread.ExitOwns();\n" + (guarded ? ExitCallAndRethrow : "throw;"));
            }
            else
            {
                writer.Lines(body);
            }
        }
    }

    /// <summary>
    /// <c>Owns</c> of a strategy whose cleanup releases memory: the ownership test runs inside a call, as
    /// <c>Allocate</c> and <c>Deallocate</c> do, so a racing <c>Dispose</c> never releases what the test reads. With
    /// handlers, <c>...CallOwns</c> leaves the call before it rethrows; without, an exception from <c>[Owns]</c> leaves
    /// the thread marked in a call, as one from the other cores does.
    /// </summary>
    private static void EmitGuardedOwns(SourceWriter writer, string answer)
    {
        using (writer.Block("public bool Owns(void* ptr)"))
        {
            using (writer.Block("if (ptr is null)"))
            {
                writer.Line("return false;");
            }

            writer.Line();
            writer.Line($"{TypeNames.StrategyThread} thread = {EmittedNames.CurrentThread};");
            writer.Lines(EnterCall);
            writer.Line();
            writer.Lines($$"""
                // Nothing is live once the strategy is disposed: its cleanup may have released the memory. No finally:
                // it would cost every call a handler; a throwing [Owns] leaves the call in its own handler instead.
                bool owned = {{EmittedNames.CurrentStatus}} != {{TypeNames.StrategyStatus}}.Disposed && {{answer}};
                {{ExitCall}}
                return owned;
                """);
        }
    }
}
