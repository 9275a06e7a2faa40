namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The shape <c>Allocate</c> and <c>Deallocate</c> share: a public entry that looks the thread up and calls the
/// <c>...On</c> method, whose gate admits the request to the fast path's body; with fault handlers, the body sits in
/// an out-of-line <c>...Admitted</c> method.
/// </summary>
internal static partial class StrategyEmitter
{
    /// <summary>What a fast path without handlers says first.</summary>
    private const string NoHandlerNote =
        "// FaultOnCoreException = false: no handler; an exception from a core propagates and the status stays.";

    /// <summary>
    /// The public <c>Allocate</c> or <c>Deallocate</c>: the thread-local lookup, then the <c>...On</c> method. The gate
    /// is a few instructions, every slow path is out of line, and the fault handler (when there is one) sits in the
    /// <c>...Admitted</c> method, so the whole inlines into callers that hold the concrete type. The lookup comes first,
    /// outside every branch, so that an allocation's lookup dominates the free that follows it and the JIT shares it
    /// (one lookup per pair) or hoists it out of the loop. A refused call looks the thread up too, as its slow path
    /// would to count it.
    /// </summary>
    private static void EmitInlinedEntry(SourceWriter writer, string signature, string call)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Line(TypeNames.AggressiveInlining);
        using (writer.Block($"public {signature}"))
        {
            writer.Lines($$"""
                // Small enough to inline into the caller. The thread-local lookup comes first, where the JIT can share it
                // between an allocation and the free that follows.
                {{call}}
                """);
        }
    }

    /// <summary>
    /// A call of the user's core <paramref name="name"/> (either half of a split one) with <paramref name="first"/>
    /// (<c>size</c> or <c>ptr</c>), and <c>thread</c> after it when the core takes the calling thread's object.
    /// </summary>
    private static string CoreCall(string name, bool takesThread, string first) =>
        takesThread ? $"{name}({first}, thread)" : $"{name}({first})";

    /// <summary>
    /// An <c>...On</c> method: <paramref name="preamble"/>, then the gate's <c>if</c>, inside it the admitted path, and
    /// after it the call to the slow path. The admitted path is, with fault handlers, the call to the
    /// <c>...Admitted</c> method (<paramref name="admittedCall"/>); without, the fast path's body itself. A guarded
    /// strategy (see <see cref="GuardsCalls"/>) enters the call first and leaves it after the admitted call
    /// (<paramref name="guardedAdmittedCall"/>) or before the slow path.
    /// </summary>
    private static void EmitGatedMethod(
        SourceWriter writer,
        StrategyModel model,
        string signature,
        string preamble,
        string gate,
        string admittedCall,
        string guardedAdmittedCall,
        string body,
        string slowCall)
    {
        bool guarded = GuardsCalls(model);
        using (writer.Block(signature))
        {
            if (guarded)
            {
                writer.Lines(EnterCall);
                writer.Line();
            }

            writer.Lines(preamble);
            using (writer.Block($"if ({gate})"))
            {
                if (HasAdmittedMethod(model))
                {
                    writer.Lines(guarded ? guardedAdmittedCall : admittedCall);
                }
                else
                {
                    writer.Line(NoHandlerNote);
                    writer.Line();
                    writer.Lines(body);
                }
            }

            writer.Line();
            if (guarded)
            {
                // The slow path runs outside the call: it validates (which guards itself) or refuses, and a request
                // it lets through comes back in by the public entry.
                writer.Line(ExitCall);
            }

            writer.Line(slowCall);
        }
    }

    /// <summary>
    /// With fault handlers, writes the out-of-line <c>...Admitted</c> method: <paramref name="body"/> under the handler.
    /// The JIT never inlines a method that catches, so keeping the handler out of the gate is what lets the gate and
    /// the thread-local lookup inline into the caller. The core inlines into the <c>...Admitted</c> method, so an
    /// operation still costs one call.
    /// </summary>
    private static void EmitAdmittedMethod(SourceWriter writer, StrategyModel model, string summary, string signature, string body)
    {
        if (!HasAdmittedMethod(model))
        {
            return;
        }

        writer.Line();
        if (!model.FaultOnCoreException)
        {
            writer.Line($"/// <summary>{summary.Replace(", under the fault handler.", " (no handler: FaultOnCoreException = false).")}</summary>");
            // Guarded without handlers: the body alone, inlined into the gate, which leaves the call after it.
            writer.Line(TypeNames.AggressiveInlining);
            using (writer.Block($"private {signature}"))
            {
                writer.Line(NoHandlerNote);
                writer.Line();
                writer.Lines(body);
            }

            return;
        }

        writer.Line($"/// <summary>{summary}</summary>");
        using (writer.Block($"private {signature}"))
        {
            EmitFaultHandler(
                writer,
                body,
                onFault: GuardsCalls(model) ? ExitCallAndRethrow : "throw;",
                why: "// A core that throws leaves its state unknown: fault the strategy and let the exception propagate.");
        }
    }
}
