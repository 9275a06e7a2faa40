using System.Text;

namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// <c>prefix_create(...)</c> and <c>prefix_destroy(MemoryStrategy*)</c> for a NativeAOT shared library, and the C
/// declarations of both in a constant (a header or a test can read them).
/// </summary>
internal static partial class StrategyEmitter
{
    private static void EmitNativeExports(SourceWriter writer, StrategyModel model)
    {
        if (model.NativeExport is not NativeExportModel export)
        {
            return;
        }

        var parameters = new StringBuilder();
        var arguments = new StringBuilder();
        var cParameters = new StringBuilder();
        for (int i = 0; i < export.Parameters.Count; i++)
        {
            NativeParameterModel parameter = export.Parameters[i];
            string separator = i == 0 ? string.Empty : ", ";

            // The C declaration keeps the constructor's names; the C# method numbers its own, in the reserved prefix, so
            // that no constructor parameter (named 'strategy', or as the class) can clash with the body's names.
            string argument = EmittedNames.NativeCreateArgument + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters.Append(separator).Append(parameter.IsBool ? "byte" : parameter.CSharpType).Append(' ').Append(argument);
            arguments.Append(separator).Append(argument).Append(parameter.IsBool ? " != 0" : string.Empty);
            cParameters.Append(separator).Append(parameter.CType).Append(' ').Append(CParameterNames.For(parameter.Name, i));
        }

        string create = export.Prefix + "_create";
        string destroy = export.Prefix + "_destroy";
        string cCreate = $"MemoryStrategy* {create}({(cParameters.Length == 0 ? "void" : cParameters.ToString())});";
        string cDestroy = $"void {destroy}(MemoryStrategy* strategy);";
        string native = TypeNames.NativeMemoryStrategy;
        writer.Line();
        writer.Lines($$"""
            /// <summary>The C declarations of this strategy's exports (<c>NativeExport = "{{export.Prefix}}"</c>).</summary>
            internal const string {{EmittedNames.NativeDeclarations}} = "{{cCreate}}\n{{cDestroy}}\n";

            /// <summary>
            /// C: <c>{{cCreate}}</c> Creates a strategy and returns its vtable, or NULL if the constructor threw. Exported
            /// from a NativeAOT shared library; release it with <c>{{destroy}}</c>.
            /// </summary>
            {{TypeNames.UnmanagedCallersOnlyExport(create)}}
            private static {{native}}* {{EmittedNames.NativeCreate}}({{parameters}})
            {
                {{model.TypeName}}? {{EmittedNames.NativeCreateStrategy}} = null;
                try
                {
                    {{EmittedNames.NativeCreateStrategy}} = new {{model.TypeName}}({{arguments}});
                    return {{TypeNames.NativeExports}}.Publish({{EmittedNames.NativeCreateStrategy}}, {{EmittedNames.NativeCreateStrategy}}.CreateNativeHandle());
                }
                catch
                {
                    // Nothing may unwind into C: a constructor that throws is a NULL return, as malloc's failure is.
                    {{EmittedNames.NativeCreateStrategy}}?.Dispose();
                    return null;
                }
            }

            /// <summary>
            /// C: <c>{{cDestroy}}</c> Disposes the strategy and releases its vtable. NULL, a pointer this library did not
            /// create and a second destroy are ignored.
            /// </summary>
            {{TypeNames.UnmanagedCallersOnlyExport(destroy)}}
            private static void {{EmittedNames.NativeDestroy}}({{native}}* strategy) =>
                {{TypeNames.NativeExports}}.Destroy(strategy);
            """);
    }
}
