namespace MemoryStrategy.SourceGeneration;

/// <summary>The managed vtable: <c>IMemoryStrategy</c>'s members wrapped around the user's core methods.</summary>
internal static partial class StrategyEmitter
{
    private const string S = EmittedNames.StatusTracker;

    private static void EmitAllocate(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        writer.Lines($$"""
            /// <inheritdoc/>
            public void* Allocate(nuint size)
            {
                // Fast path: one volatile read of the status word (Ready = 1 and Degraded = 2 serve) and one comparison
                // for 0 < size <= max (size 0 wraps around to the largest value). No lock, no shared atomic write.
                if ((uint){{S}}.Status - 1u < 2u && unchecked(size - 1) < {{EmittedNames.MaxAllocationSize}})
                {
                    // One handler around the whole fast path, in this method: a method with a handler is never inlined,
                    // so a helper of its own would cost a second call, while a small core inlines here.
                    try
                    {
                        // One thread-local lookup finds this thread's statistics (and the core's per-thread state).
                        global::MemoryStrategy.StrategyThread thread = {{S}}.CurrentThread;
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
            writer.Lines($$"""

                            // The block becomes live before the caller can see it, so a free racing the return still finds it.
                            if (!{{EmittedNames.LiveAllocations}}.TryAdd((nint)ptr))
                            {
                                return {{EmittedNames.RefuseLiveBlock}}();
                            }
                """);
        }

        if (model.PoisonFreedMemory)
        {
            writer.Lines($$"""

                            // Debug option: the block must still hold the poison it was freed with. A write after free
                            // leaves the block quarantined (never handed out), faults the strategy and throws.
                            {{EmittedNames.FreedMemoryPoison}}.CheckAndTrack(ptr, size);
                """);
        }

        if (model.ZeroOnAllocate)
        {
            writer.Lines("""

                            // ZeroOnAllocate: nothing a previous owner wrote leaves with the block.
                            global::System.Runtime.InteropServices.NativeMemory.Clear(ptr, size);
                """);
        }

        writer.Lines($$"""

                        {{S}}.RecordAllocation(thread, size);
                        return ptr;
                    }
                    catch
                    {
                        // The core's state is unknown after it throws: fault the strategy and let the exception propagate.
                        {{S}}.TryFault();
                        throw;
                    }
                }

                return {{EmittedNames.AllocateSlow}}(size);
            }

            {{NoInline}}
            private void* {{EmittedNames.AllocateSlow}}(nuint size)
            {
                if ({{S}}.Status == {{Status}}.Uninitialized)
                {
                    // The first call validates the strategy once: Uninitialized moves to Ready or Faulted.
                    Validate();
                }

                if (!{{S}}.IsServing || unchecked(size - 1) >= {{EmittedNames.MaxAllocationSize}})
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
        writer.Line();
        writer.Lines($$"""
            /// <inheritdoc/>
            public void Deallocate(void* ptr)
            {
                // Fast path: Ready, Degraded and Faulted (1..3) take blocks back; a faulted strategy must still let its
                // users return memory. As in Allocate, one handler covers the whole fast path.
                if ((uint){{S}}.Status - 1u < 3u && ptr is not null)
                {
                    try
                    {
                        // One thread-local lookup finds this thread's statistics (and the core's per-thread state).
                        global::MemoryStrategy.StrategyThread thread = {{S}}.CurrentThread;

            """);
        if (model.TrackAllocations)
        {
            writer.Lines($$"""
                            // Removing decides ownership atomically: of two racing frees of one block exactly one passes.
                            if (!{{EmittedNames.LiveAllocations}}.TryRemove((nint)ptr))
                            {
                                {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NotOwned);
                                return;
                            }

                """);
        }
        else if (ownsFirst)
        {
            writer.Lines($$"""
                            // The strategy's [Owns] decides: foreign, interior and freed pointers never reach the core.
                            if (!{{model.Markers.Owns}}(ptr))
                            {
                                {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NotOwned);
                                return;
                            }

                """);
        }

        if (model.PoisonFreedMemory)
        {
            writer.Lines($$"""
                            // Debug option: poison the block while it is still ours, before the core takes it back.
                            {{EmittedNames.FreedMemoryPoison}}.Poison(ptr);

                """);
        }

        string arguments = model.Markers.DeallocateTakesThread ? "ptr, thread" : "ptr";
        if (reports)
        {
            writer.Lines($$"""
                            // The core decides ownership itself: false refuses a foreign, interior or freed pointer.
                            if (!{{model.Markers.Deallocate}}({{arguments}}))
                            {
                                {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NotOwned);
                                return;
                            }
                """);
        }
        else
        {
            writer.Line($"            {model.Markers.Deallocate}({arguments});");
        }

        writer.Lines($$"""

                        {{S}}.RecordDeallocation(thread);
                        return;
                    }
                    catch
                    {
                        // A core that throws leaves its state unknown: fault, and let the exception propagate.
                        {{S}}.TryFault();
                        throw;
                    }
                }

                {{EmittedNames.DeallocateSlow}}(ptr);
            }

            {{NoInline}}
            private void {{EmittedNames.DeallocateSlow}}(void* ptr)
            {
                if (ptr is null)
                {
                    {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NullPointer);
                    return;
                }

                if ({{S}}.Status == {{Status}}.Uninitialized)
                {
                    Validate();
                }

                if ({{S}}.Status == {{Status}}.Disposed)
                {
                    {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.StrategyDisposed);
                    return;
                }

                // Ready, Degraded or Faulted now (the status never returns to Uninitialized): the fast path takes it.
                Deallocate(ptr);
            }
            """);
    }

    private static void EmitQueries(SourceWriter writer, StrategyModel model)
    {
        writer.Line();
        string answer = model.TrackAllocations
            ? $"{EmittedNames.LiveAllocations}.Contains((nint)ptr)"
            : model.Markers.Owns is not null ? $"{EmittedNames.CallOwns}(ptr)" : "false";
        writer.Lines($$"""
            /// <inheritdoc/>
            public bool Owns(void* ptr)
            {
                // Nothing is live once the strategy is disposed: its cleanup may have released the memory.
                if (ptr is null || {{S}}.Status == {{Status}}.Disposed)
                {
                    return false;
                }

                return {{answer}};
            }
            """);
        if (!model.TrackAllocations && model.Markers.Owns is not null)
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
        writer.Lines($$"""
            /// <inheritdoc/>
            public bool Validate()
            {
                switch ({{S}}.Status)
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
        if (hasCheck)
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
}
