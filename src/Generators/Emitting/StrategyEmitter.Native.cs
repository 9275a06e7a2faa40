namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The C-ABI vtable: <c>CreateNativeHandle()</c> and the static <c>[UnmanagedCallersOnly]</c> thunks that the C interface's
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
            /// Creates the C vtable for this strategy: a <c>MemoryStrategy*</c> whose function pointers call this
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
    /// <summary>
    /// <c>prefix_create(...)</c> and <c>prefix_destroy(MemoryStrategy*)</c> for a NativeAOT shared library, and the C
    /// declarations of both in a constant (a header or a test can read them).
    /// </summary>
    private static void EmitNativeExports(SourceWriter writer, StrategyModel model)
    {
        if (model.NativeExport is not NativeExportModel export)
        {
            return;
        }

        var parameters = new System.Text.StringBuilder();
        var arguments = new System.Text.StringBuilder();
        var cParameters = new System.Text.StringBuilder();
        foreach (NativeParameterModel parameter in export.Parameters)
        {
            string separator = parameters.Length == 0 ? string.Empty : ", ";
            parameters.Append(separator).Append(parameter.IsBool ? "byte" : parameter.CSharpType).Append(' ').Append(parameter.Name);
            arguments.Append(separator).Append(parameter.Name).Append(parameter.IsBool ? " != 0" : string.Empty);
            cParameters.Append(separator).Append(parameter.CType).Append(' ').Append(parameter.Name.TrimStart('@'));
        }

        string create = export.Prefix + "_create";
        string destroy = export.Prefix + "_destroy";
        string cCreate = $"MemoryStrategy* {create}({(cParameters.Length == 0 ? "void" : cParameters.ToString())});";
        string cDestroy = $"void {destroy}(MemoryStrategy* strategy);";
        string entry = "[global::System.Runtime.InteropServices.UnmanagedCallersOnly(EntryPoint = \"{0}\", CallConvs = new[] {{ typeof(global::System.Runtime.CompilerServices.CallConvCdecl) }})]";
        writer.Line();
        writer.Lines($$"""
            /// <summary>The C declarations of this strategy's exports (<c>NativeExport = "{{export.Prefix}}"</c>).</summary>
            internal const string {{EmittedNames.NativeDeclarations}} = "{{cCreate}}\n{{cDestroy}}\n";

            /// <summary>
            /// C: <c>{{cCreate}}</c> Creates a strategy and returns its vtable, or NULL if the constructor threw. Exported
            /// from a NativeAOT shared library; release it with <c>{{destroy}}</c>.
            /// </summary>
            {{string.Format(System.Globalization.CultureInfo.InvariantCulture, entry, create)}}
            private static {{Native}}* {{EmittedNames.NativeCreate}}({{parameters}})
            {
                {{model.TypeName}}? strategy = null;
                try
                {
                    strategy = new {{model.TypeName}}({{arguments}});
                    return global::MemoryStrategy.NativeExports.Publish(strategy, strategy.CreateNativeHandle());
                }
                catch
                {
                    // Nothing may unwind into C: a constructor that throws is a NULL return, as malloc's failure is.
                    strategy?.Dispose();
                    return null;
                }
            }

            /// <summary>
            /// C: <c>{{cDestroy}}</c> Disposes the strategy and releases its vtable. NULL, a pointer this library did not
            /// create and a second destroy are ignored.
            /// </summary>
            {{string.Format(System.Globalization.CultureInfo.InvariantCulture, entry, destroy)}}
            private static void {{EmittedNames.NativeDestroy}}({{Native}}* strategy) =>
                global::MemoryStrategy.NativeExports.Destroy(strategy);
            """);
    }
}
