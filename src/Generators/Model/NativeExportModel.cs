namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// What <c>[MemoryStrategy(NativeExport = "prefix")]</c> exports: <c>prefix_create(...)</c> over the constructor a C
/// caller can call, and <c>prefix_destroy(MemoryStrategy*)</c>.
/// </summary>
/// <param name="Prefix">The C identifier the export names start with.</param>
/// <param name="Parameters">The constructor's parameters, in order.</param>
internal sealed record NativeExportModel(string Prefix, EquatableArray<NativeParameterModel> Parameters);

/// <summary>One parameter of the exported constructor.</summary>
/// <param name="Name">The parameter's name (escaped for C#; also its name in the C declaration).</param>
/// <param name="CSharpType">The C# keyword of its type (<c>nuint</c>, <c>int</c>, ...).</param>
/// <param name="CType">The C type a caller passes (<c>size_t</c>, <c>int32_t</c>, ...).</param>
internal sealed record NativeParameterModel(string Name, string CSharpType, string CType)
{
    /// <summary>C's <c>bool</c> crosses as one byte: the export takes a <see langword="byte"/> and compares it to 0.</summary>
    public bool IsBool => CType == "bool";
}
