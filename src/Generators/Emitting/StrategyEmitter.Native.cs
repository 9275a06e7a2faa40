namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The C-ABI vtable: <c>CreateNativeHandle()</c> and the static <c>[UnmanagedCallersOnly]</c> thunks that the seed's
/// <c>MemoryStrategy</c> struct points at. Each thunk recovers this concrete type from <c>strategy_data</c> and calls
/// its generated members directly, with no interface dispatch.
/// </summary>
internal static partial class StrategyEmitter
{
    private const string Cdecl = "[global::System.Runtime.InteropServices.UnmanagedCallersOnly(CallConvs = new[] { typeof(global::System.Runtime.CompilerServices.CallConvCdecl) })]";
    private const string Native = "global::MemoryStrategy.NativeMemoryStrategy";
    private const string Handle = "global::MemoryStrategy.NativeStrategyHandle";

    private static void EmitNativeVtable(SourceWriter writer, StrategyModel model)
    {
        string self = model.TypeName;
        string resolve = $"{self}? strategy = {Handle}.GetStrategy<{self}>(self);";
        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// Creates the seed's C vtable for this strategy: a <c>MemoryStrategy*</c> whose function pointers call this
            /// instance, and whose <c>status_tracker</c> points at its status word. Dispose the handle once native code no
            /// longer calls through it; calls through a disposed handle are refused.
            /// </summary>
            /// <returns>The handle that owns the native struct.</returns>
            public {{Handle}} CreateNativeHandle() =>
                {{Handle}}.Create(this, &{{EmittedNames.NativeAllocate}}, &{{EmittedNames.NativeDeallocate}}, &{{EmittedNames.NativeGetStatus}}, &{{EmittedNames.NativeValidate}});

            // The thunks never let an exception unwind into C (the runtime would end the process): they fault the
            // strategy and refuse. A null self, a disposed handle or a struct of another strategy type is refused too.
            {{Cdecl}}
            private static void* {{EmittedNames.NativeAllocate}}({{Native}}* self, nuint size)
            {
                {{resolve}}
                if (strategy is null)
                {
                    return null;
                }

                try
                {
                    return strategy.Allocate(size);
                }
                catch
                {
                    strategy.{{S}}.TryFault();
                    return null;
                }
            }

            {{Cdecl}}
            private static void {{EmittedNames.NativeDeallocate}}({{Native}}* self, void* ptr)
            {
                {{resolve}}
                if (strategy is null)
                {
                    return;
                }

                try
                {
                    strategy.Deallocate(ptr);
                }
                catch
                {
                    strategy.{{S}}.TryFault();
                }
            }

            {{Cdecl}}
            private static int {{EmittedNames.NativeGetStatus}}({{Native}}* self)
            {
                {{resolve}}
                return (int)(strategy is null ? {{Status}}.Disposed : strategy.GetStatus());
            }

            {{Cdecl}}
            private static byte {{EmittedNames.NativeValidate}}({{Native}}* self)
            {
                {{resolve}}
                if (strategy is null)
                {
                    return 0;
                }

                try
                {
                    return strategy.Validate() ? (byte)1 : (byte)0;
                }
                catch
                {
                    strategy.{{S}}.TryFault();
                    return 0;
                }
            }
            """);
    }
}
