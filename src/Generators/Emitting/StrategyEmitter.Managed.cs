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
                    return {{EmittedNames.AllocateAccepted}}(size);
                }

                return {{EmittedNames.AllocateSlow}}(size);
            }

            {{Inline}}
            private void* {{EmittedNames.AllocateAccepted}}(nuint size)
            {
                void* ptr;
                try
                {
                    ptr = {{model.Markers.Allocate}}(size);
                }
                catch
                {
                    // The core's state is unknown after it throws: fault the strategy and let the exception propagate.
                    {{S}}.TryFault();
                    throw;
                }

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

                    // Debug option: the block must still hold the poison it was freed with. A write after free leaves the
                    // block quarantined (never handed out), faults the strategy and throws.
                    try
                    {
                        {{EmittedNames.FreedMemoryPoison}}.CheckAndTrack(ptr, size);
                    }
                    catch
                    {
                        {{S}}.TryFault();
                        throw;
                    }
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

                {{S}}.RecordAllocation(size);
                return ptr;
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

                return {{EmittedNames.AllocateAccepted}}(size);
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
        writer.Line();
        writer.Lines($$"""
            /// <inheritdoc/>
            public void Deallocate(void* ptr)
            {
                // Fast path: Ready, Degraded and Faulted (1..3) take blocks back; a faulted strategy must still let its
                // users return memory.
                if ((uint){{S}}.Status - 1u < 3u && ptr is not null)
                {
                    {{EmittedNames.DeallocateAccepted}}(ptr);
                    return;
                }

                {{EmittedNames.DeallocateSlow}}(ptr);
            }

            {{Inline}}
            private void {{EmittedNames.DeallocateAccepted}}(void* ptr)
            {
            """);
        // With the user's [Owns], the ownership test and the core share one exception handler below: a method with
        // a handler is never inlined, so a handler of its own would cost [Owns] a real call on every free.
        bool ownsInsideHandler = !model.TrackAllocations && model.Markers.Owns is not null;
        string? ownershipTest = ownsInsideHandler ? null : OwnershipTest(model);
        if (ownershipTest is not null)
        {
            writer.Lines($$"""
                    {{OwnershipComment(model)}}
                    if (!{{ownershipTest}})
                    {
                        {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NotOwned);
                        return;
                    }

                """);
        }

        if (model.PoisonFreedMemory && !ownsInsideHandler)
        {
            writer.Lines($$"""
                    // Debug option: poison the block while it is still ours, before the core takes it back.
                    {{EmittedNames.FreedMemoryPoison}}.Poison(ptr);

                """);
        }

        writer.Line("    try");
        writer.Line("    {");
        if (ownsInsideHandler)
        {
            writer.Lines($$"""
                        {{OwnershipComment(model)}}
                        if (!{{model.Markers.Owns}}(ptr))
                        {
                            {{S}}.RecordRefusedDeallocation(global::MemoryStrategy.DeallocationRefusal.NotOwned);
                            return;
                        }

                """);
            if (model.PoisonFreedMemory)
            {
                writer.Lines($$"""
                            // Debug option: poison the block while it is still ours, before the core takes it back.
                            {{EmittedNames.FreedMemoryPoison}}.Poison(ptr);

                    """);
            }
        }

        writer.Lines($$"""
                    {{model.Markers.Deallocate}}(ptr);
                }
                catch
                {
                    // A core that throws (either of them) leaves its state unknown: fault, and let the exception propagate.
                    {{S}}.TryFault();
                    throw;
                }

                {{S}}.RecordDeallocation();
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

                {{EmittedNames.DeallocateAccepted}}(ptr);
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

    private static string? OwnershipTest(StrategyModel model) =>
        model.TrackAllocations ? $"{EmittedNames.LiveAllocations}.TryRemove((nint)ptr)" : null;

    private static string OwnershipComment(StrategyModel model) =>
        model.TrackAllocations
            ? "// Removing decides ownership atomically: of two racing frees of one block exactly one passes."
            : "// The strategy's [Owns] decides: foreign, interior and freed pointers never reach the core.";
}
