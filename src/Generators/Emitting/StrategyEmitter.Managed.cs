using System.Text;

namespace MemoryStrategy.SourceGeneration;

/// <summary>The managed vtable: <c>IMemoryStrategy</c>'s members wrapped around the user's core methods.</summary>
internal static partial class StrategyEmitter
{
    private const string S = EmittedNames.StatusTracker;

    /// <summary>
    /// The allocation fast path's one read of the status word: the gate tests it, and a successful allocation passes it
    /// to <c>RecordAllocation</c>, which leaves Degraded when that is what it says (no second read).
    /// </summary>
    private const string ReadStatus = Status + " status = " + EmittedNames.CurrentStatus + ";";

    /// <summary>The allocation fast path's gate: Ready or Degraded, and 0 &lt; size &lt;= this instance's limit.</summary>
    private const string AllocationGate =
        "(uint)status - 1u < 2u && unchecked(size - 1) < " + EmittedNames.InstanceMaxAllocationSize;

    /// <summary>The deallocation fast path's gate: Ready, Degraded or Faulted, and a non-null pointer.</summary>
    private const string DeallocationGate = "(uint)" + EmittedNames.CurrentStatus + " - 1u < 3u && ptr is not null";

    private static void EmitAllocate(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        writer.Lines(InlinedEntry("void* Allocate(nuint size)", $"return {EmittedNames.AllocateOn}({S}.CurrentThread, size);"));
        writer.Lines($$"""

            /// <summary>
            /// <see cref="Allocate"/> for a caller that holds the calling thread's <c>StrategyThread</c>
            /// (<see cref="ThreadScope"/>): the same fast path without the thread-local lookup.
            /// </summary>
            {{Inline}}
            private void* {{EmittedNames.AllocateOn}}(global::MemoryStrategy.StrategyThread thread, nuint size)
            {
                // Fast path: one volatile read of the status word (Ready = 1 and Degraded = 2 serve) and one comparison
                // for 0 < size <= max (size 0 wraps around to the largest value). No lock, no shared atomic write.
                {{ReadStatus}}
                if ({{AllocationGate}})
                {
            """);
        string body = AllocateBody(model);
        writer.Lines(AdmittedPath(model, $"return {EmittedNames.AllocateAdmitted}(thread, size, status);", body));
        writer.Lines($$"""
                }

                return {{EmittedNames.AllocateSlow}}(size);
            }
            """);
        EmitAdmittedMethod(
            writer,
            model,
            "An admitted request: the core call, the options and the statistics, under the fault handler.",
            $"void* {EmittedNames.AllocateAdmitted}(global::MemoryStrategy.StrategyThread thread, nuint size, {Status} status)",
            body);
        EmitAllocateSlowPath(writer, model);
    }

    /// <summary>The fast path's body, once <c>thread</c> is known: the core call, the options, the statistics.</summary>
    private static string AllocateBody(StrategyModel model)
    {
        var body = new StringBuilder();
        body.Append($$"""
            void* ptr = {{model.Markers.Allocate}}({{(model.Markers.AllocateTakesThread ? "size, thread" : "size")}});
            if (ptr is null)
            {
                // Exhaustion: counted, and Ready moves to Degraded.
                {{S}}.RecordFailedAllocation();
                return null;
            }


            """);
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
            body.Append("""
                // ZeroOnAllocate: nothing a previous owner wrote leaves with the block.
                global::System.Runtime.InteropServices.NativeMemory.Clear(ptr, size);


                """);
        }

        body.Append($$"""
            {{S}}.RecordAllocation(thread, size, status);
            return ptr;
            """);
        return body.ToString();
    }

    private static void EmitAllocateSlowPath(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        writer.Lines($$"""
            {{NoInline}}
            private void* {{EmittedNames.AllocateSlow}}(nuint size)
            {
                if ({{EmittedNames.CurrentStatus}} == {{Status}}.Uninitialized)
                {
                    // The first call validates the strategy once: Uninitialized moves to Ready or Faulted.
                    Validate();
                }

                if (!{{S}}.IsServing || unchecked(size - 1) >= {{EmittedNames.InstanceMaxAllocationSize}})
                {
                    // Faulted, Disposed, size 0 or above the limit: refused before it reaches the core.
                    {{S}}.RecordRefusedAllocation();
                    return null;
                }

                // Serving now (the status never returns to Uninitialized), so the fast path takes the request.
                return Allocate(size);
            }
            """);
        if (model.TrackAllocations)
        {
            writer.Lines($$"""

                {{NoInline}}
                private void* {{EmittedNames.RefuseLiveBlock}}()
                {
                    // The core handed out an address that is still live (or that no allocator can return): its state is
                    // corrupt. Handing the block out twice would let two owners share it, so fault instead.
                    {{S}}.TryFault();
                    {{S}}.RecordFailedAllocation();
                    return null;
                }
                """);
        }
    }

    private static void EmitDeallocate(SourceWriter writer, StrategyModel model)
    {
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
                $"{EmittedNames.LiveAllocations}.TryRemove((nint)ptr)"));
        }
        else if (ownsFirst)
        {
            body.Append(RefuseUnless(
                "// The strategy's [Owns] decides: foreign, interior and freed pointers never reach the core.",
                $"{model.Markers.Owns}(ptr)"));
        }

        if (model.PoisonFreedMemory)
        {
            body.Append($$"""
                // Debug option: poison the block while it is still ours, before the core takes it back.
                {{EmittedNames.FreedMemoryPoison}}.Poison(ptr);


                """);
        }

        string arguments = model.Markers.DeallocateTakesThread ? "ptr, thread" : "ptr";
        if (reports && model.TrackAllocations)
        {
            body.Append($$"""
                // The registry held the block live, so the core must take it: a refusal means the two disagree.
                if (!{{model.Markers.Deallocate}}({{arguments}}))
                {
                    {{EmittedNames.RefuseDisownedBlock}}(ptr);
                    return;
                }


                """);
        }
        else if (reports)
        {
            body.Append(RefuseUnless(
                "// The core decides ownership itself: false refuses a foreign, interior or freed pointer.",
                $"{model.Markers.Deallocate}({arguments})"));
        }
        else
        {
            body.Append($"{model.Markers.Deallocate}({arguments});\n");
        }

        body.Append($$"""
            {{S}}.RecordDeallocation(thread);
            return;
            """);
        writer.Line();
        writer.Lines(InlinedEntry("void Deallocate(void* ptr)", $"{EmittedNames.DeallocateOn}({S}.CurrentThread, ptr);"));
        writer.Lines($$"""

            /// <summary><see cref="Deallocate"/> for a caller that holds the calling thread's <c>StrategyThread</c>.</summary>
            {{Inline}}
            private void {{EmittedNames.DeallocateOn}}(global::MemoryStrategy.StrategyThread thread, void* ptr)
            {
                // Fast path: Ready, Degraded and Faulted (1..3) take blocks back; a faulted strategy must still let its
                // users return memory.
                if ({{DeallocationGate}})
                {
            """);
        writer.Lines(AdmittedPath(model, $"{EmittedNames.DeallocateAdmitted}(thread, ptr);\nreturn;", body.ToString()));
        writer.Lines($$"""
                }

                {{EmittedNames.DeallocateSlow}}(ptr);
            }
            """);
        EmitAdmittedMethod(
            writer,
            model,
            "An admitted pointer: the ownership test, the core call and the statistics, under the fault handler.",
            $"void {EmittedNames.DeallocateAdmitted}(global::MemoryStrategy.StrategyThread thread, void* ptr)",
            body.ToString());
        writer.Lines($$"""

            {{NoInline}}
            private void {{EmittedNames.DeallocateSlow}}(void* ptr)
            {
                if (ptr is null)
                {
                    {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NullPointer);
                    return;
                }

                if ({{EmittedNames.CurrentStatus}} == {{Status}}.Uninitialized)
                {
                    Validate();
                }

                if ({{EmittedNames.CurrentStatus}} == {{Status}}.Disposed)
                {
                    {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.StrategyDisposed);
                    return;
                }

                // Ready, Degraded or Faulted now (the status never returns to Uninitialized): the fast path takes it.
                Deallocate(ptr);
            }
            """);
        if (reports && model.TrackAllocations)
        {
            writer.Lines($$"""

                {{NoInline}}
                private void {{EmittedNames.RefuseDisownedBlock}}(void* ptr)
                {
                    // The registry said the block was live and the core refused it: their states disagree, so the core's is
                    // unknown. The block goes back into the registry (the core still holds it, and a later free must find
                    // it), the strategy faults rather than guess, and the free is counted as refused.
                    {{EmittedNames.LiveAllocations}}.TryAdd((nint)ptr);
                    {{S}}.TryFault();
                    {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NotOwned);
                }
                """);
        }
    }

    /// <summary>An ownership test of the deallocation fast path: when it fails, the pointer is refused as not owned.</summary>
    private static string RefuseUnless(string comment, string test) => $$"""
        {{comment}}
        if (!{{test}})
        {
            {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NotOwned);
            return;
        }


        """;

    /// <summary>
    /// The public <c>Allocate</c> or <c>Deallocate</c>: the thread-local lookup, then the <c>...On</c> method. The gate
    /// is a few instructions, every slow path is out of line, and the fault handler (when there is one) sits in the
    /// <c>...Admitted</c> method, so the whole inlines into callers that hold the concrete type. The lookup comes first,
    /// outside every branch, so that an allocation's lookup dominates the free that follows it and the JIT shares it
    /// (one lookup per pair) or hoists it out of the loop. A refused call looks the thread up too, as its slow path
    /// would to count it.
    /// </summary>
    private static string InlinedEntry(string signature, string call) => $$"""
        /// <inheritdoc/>
        {{Inline}}
        public {{signature}}
        {
            // Small enough to inline into the caller. The thread-local lookup comes first, where the JIT can share it
            // between an allocation and the free that follows.
            {{call}}
        }
        """;

    /// <summary>
    /// What goes inside the gate's <c>if</c> of an <c>...On</c> method: with fault handlers, the call to the
    /// <c>...Admitted</c> method (<paramref name="admittedCall"/>); without, the fast path's body itself.
    /// </summary>
    private static string AdmittedPath(StrategyModel model, string admittedCall, string body) =>
        Indent(model.FaultOnCoreException ? admittedCall : NoHandlerNote + body, FastPathIndent);

    /// <summary>With fault handlers, writes the out-of-line <c>...Admitted</c> method: <paramref name="body"/> under the handler.</summary>
    private static void EmitAdmittedMethod(SourceWriter writer, StrategyModel model, string summary, string signature, string body)
    {
        if (!model.FaultOnCoreException)
        {
            return;
        }

        writer.Line();
        writer.Line($"/// <summary>{summary}</summary>");
        writer.Line($"private {signature}");
        writer.Line("{");
        writer.Lines(Indent(Guarded(body), "    "));
        writer.Line("}");
    }

    /// <summary>The indentation of a fast path's body inside the <c>if</c> block of an <c>...On</c> method.</summary>
    private const string FastPathIndent = "        ";

    /// <summary>What a fast path without handlers says first.</summary>
    private const string NoHandlerNote =
        "// FaultOnCoreException = false: no handler; an exception from a core propagates and the status stays.\n\n";

    /// <summary>
    /// A fast path's body under one handler that faults the strategy. It goes in an <c>...Admitted</c> method of its
    /// own, called from the inlined gate: the JIT never inlines a method that catches, so keeping the handler out of
    /// the gate is what lets the gate and the thread-local lookup inline into the caller. The core inlines into the
    /// <c>...Admitted</c> method, so an operation still costs one call.
    /// </summary>
    private static string Guarded(string body) => $$"""
        try
        {
        {{Indent(body, "    ")}}
        }
        catch
        {
            // A core that throws leaves its state unknown: fault the strategy and let the exception propagate.
            {{S}}.TryFault();
            throw;
        }
        """;

    /// <summary>Prefixes every non-empty line of <paramref name="block"/>.</summary>
    private static string Indent(string block, string prefix)
    {
        var indented = new StringBuilder();
        foreach (string line in block.Replace("\r", string.Empty).Split('\n'))
        {
            if (indented.Length > 0)
            {
                indented.Append('\n');
            }

            indented.Append(line.Length == 0 ? line : prefix + line);
        }

        return indented.ToString();
    }

    private static void EmitQueries(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        string answer = model.TrackAllocations
            ? $"{EmittedNames.LiveAllocations}.Contains((nint)ptr)"
            : model.Markers.Owns is null ? "false"
            : model.FaultOnCoreException ? $"{EmittedNames.CallOwns}(ptr)" : $"{model.Markers.Owns}(ptr)";
        writer.Lines($$"""
            /// <inheritdoc/>
            public bool Owns(void* ptr)
            {
                // Nothing is live once the strategy is disposed: its cleanup may have released the memory.
                if (ptr is null || {{EmittedNames.CurrentStatus}} == {{Status}}.Disposed)
                {
                    return false;
                }

                return {{answer}};
            }
            """);
        if (!model.TrackAllocations && model.Markers.Owns is not null && model.FaultOnCoreException)
        {
            writer.Line();
            writer.Lines($$"""
                private bool {{EmittedNames.CallOwns}}(void* ptr)
                {
                    try
                    {
                        return {{model.Markers.Owns}}(ptr);
                    }
                    catch
                    {
                        {{S}}.TryFault();
                        throw;
                    }
                }
                """);
        }
    }

    private static void EmitValidate(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        bool hasCheck = model.Markers.Validate is not null;
        string firstCheck = hasCheck ? $"{EmittedNames.CheckInvariants}()" : "true";
        if (!hasCheck)
        {
            // Without [Validate] a serving strategy is valid by its status alone: one comparison inline, the rest (the
            // first validation, Faulted, Disposed) out of line. The C interface's validators call this on every check.
            writer.Lines($$"""
                /// <inheritdoc/>
                public bool Validate()
                {
                    // Ready (1) or Degraded (2): valid. The first validation, Faulted and Disposed go out of line.
                    return (uint){{EmittedNames.CurrentStatus}} - 1u < 2u || {{EmittedNames.ValidateSlow}}();
                }

                /// <summary>Everything but a serving status: the first validation moves Uninitialized on.</summary>
                {{NoInline}}
                """);
        }
        else
        {
            writer.Line("/// <inheritdoc/>");
        }

        string method = hasCheck ? "public bool Validate()" : $"private bool {EmittedNames.ValidateSlow}()";
        writer.Lines($$"""
            {{method}}
            {
                switch ({{EmittedNames.CurrentStatus}})
                {
                    case {{Status}}.Uninitialized:
                        // The first validation: of racing callers one transition wins, and all report its outcome.
                        return {{S}}.TryInitialize({{firstCheck}});
                    case {{Status}}.Ready:
                    case {{Status}}.Degraded:
            """);
        if (hasCheck)
        {
            writer.Lines($$"""
                            if ({{EmittedNames.CheckInvariants}}())
                            {
                                return {{S}}.IsServing;
                            }

                            {{S}}.TryFault();
                            return false;
                """);
        }
        else
        {
            writer.Line("            return true;");
        }

        writer.Lines($$"""
                    default:
                        return false;
                }
            }
            """);
        if (hasCheck && model.FaultOnCoreException)
        {
            writer.Line();
            writer.Lines($$"""
                private bool {{EmittedNames.CheckInvariants}}()
                {
                    try
                    {
                        return {{model.Markers.Validate}}();
                    }
                    catch
                    {
                        {{S}}.TryFault();
                        throw;
                    }
                }
                """);
        }
        else if (hasCheck)
        {
            writer.Line();
            writer.Line($"private bool {EmittedNames.CheckInvariants}() => {model.Markers.Validate}();");
        }
    }

    private static void EmitDispose(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        writer.Lines("""
            /// <inheritdoc/>
            public void Dispose()
            {
            """);
        if (model.Markers.Cleanup is not null)
        {
            writer.Lines($$"""
                    // TryDispose succeeds for exactly one caller, so the cleanup runs once however many threads dispose.
                    if ({{S}}.TryDispose())
                    {
                        {{model.Markers.Cleanup}}();
                    }
                """);
        }
        else
        {
            writer.Line($"    {S}.TryDispose();");
        }

        writer.Line("}");
    }

    private static void EmitThreadScope(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// A handle on this strategy for the calling thread, for hot loops: its <c>Allocate</c> and <c>Deallocate</c>
            /// are this strategy's, with the same checks and statistics, minus the thread-local lookup every call through
            /// the strategy itself makes (on Linux x64 that lookup is most of a call's cost). It is a <c>ref struct</c>, so it
            /// lives on this thread's stack and can never reach another thread.
            /// </summary>
            /// <returns>The calling thread's scope.</returns>
            public {{EmittedNames.ThreadScopeType}} ForCurrentThread() => new {{EmittedNames.ThreadScopeType}}(this, {{S}}.CurrentThread);

            /// <summary>
            /// This strategy as seen from one thread (see <see cref="ForCurrentThread"/>). A <c>default</c> scope has no
            /// strategy: using it throws <see cref="global::System.NullReferenceException"/>.
            /// </summary>
            public readonly ref struct {{EmittedNames.ThreadScopeType}}
            {
                private readonly {{model.TypeName}} _strategy;
                private readonly global::MemoryStrategy.StrategyThread _thread;

                internal {{EmittedNames.ThreadScopeType}}({{model.TypeName}} strategy, global::MemoryStrategy.StrategyThread thread)
                {
                    _strategy = strategy;
                    _thread = thread;
                }

                /// <summary>The strategy's <see cref="global::MemoryStrategy.IMemoryStrategy.Allocate"/>, on this thread.</summary>
                /// <param name="size">The size requested.</param>
                /// <returns>The block, or <see langword="null"/> when refused or exhausted.</returns>
                {{Inline}}
                public void* Allocate(nuint size) => _strategy.{{EmittedNames.AllocateOn}}(_thread, size);

                /// <summary>The strategy's <see cref="global::MemoryStrategy.IMemoryStrategy.Deallocate"/>, on this thread.</summary>
                /// <param name="ptr">The block to return.</param>
                {{Inline}}
                public void Deallocate(void* ptr) => _strategy.{{EmittedNames.DeallocateOn}}(_thread, ptr);
            }
            """);
    }
}
