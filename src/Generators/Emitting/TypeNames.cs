namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The fully qualified names of the types and attributes that generated code uses. Generated code names every type
/// with <c>global::</c>, so a user's type or namespace of the same name cannot capture it.
/// </summary>
internal static class TypeNames
{
    private const string Root = "global::" + MarkerNames.Namespace + ".";

    public const string IMemoryStrategy = Root + "IMemoryStrategy";
    public const string StatusTracker = Root + "StatusTracker";
    public const string StatusTrackerHandle = Root + "StatusTrackerHandle";
    public const string StrategyStatus = Root + "StrategyStatus";
    public const string StrategyThread = Root + "StrategyThread";
    public const string LivePointerRegistry = Root + "LivePointerRegistry";
    public const string FreedMemoryPoison = Root + "FreedMemoryPoison";
    public const string DeallocationRefusal = Root + "DeallocationRefusal";
    public const string NativeMemoryStrategy = Root + "NativeMemoryStrategy";
    public const string NativeStrategyHandle = Root + "NativeStrategyHandle";
    public const string NativeStrategyTraits = Root + "NativeStrategyTraits";
    public const string NativeExports = Root + "NativeExports";

    public const string Math = "global::System.Math";
    public const string NativeMemory = "global::System.Runtime.InteropServices.NativeMemory";
    public const string ArgumentOutOfRangeException = "global::System.ArgumentOutOfRangeException";
    public const string InvalidOperationException = "global::System.InvalidOperationException";
    public const string Exception = "global::System.Exception";
    public const string ExceptionDispatchInfo = "global::System.Runtime.ExceptionServices.ExceptionDispatchInfo";
    public const string Thread = "global::System.Threading.Thread";

    private const string MethodImpl = "global::System.Runtime.CompilerServices.MethodImpl";
    private const string MethodImplOptions = "global::System.Runtime.CompilerServices.MethodImplOptions";
    private const string CallConvCdecl = "typeof(global::System.Runtime.CompilerServices.CallConvCdecl)";
    private const string UnmanagedCallersOnly = "global::System.Runtime.InteropServices.UnmanagedCallersOnly";

    /// <summary>The attribute on every method the fast path wants inlined into its caller.</summary>
    public const string AggressiveInlining = "[" + MethodImpl + "(" + MethodImplOptions + ".AggressiveInlining)]";

    /// <summary>The attribute on every slow path, which stays out of line so the fast path stays small.</summary>
    public const string NoInlining = "[" + MethodImpl + "(" + MethodImplOptions + ".NoInlining)]";

    /// <summary>The attribute on a C-ABI thunk that the vtable points at.</summary>
    public const string UnmanagedCallersOnlyCdecl = "[" + UnmanagedCallersOnly + "(CallConvs = new[] { " + CallConvCdecl + " })]";

    /// <summary>The attribute on an exported C function, with the exported name.</summary>
    public static string UnmanagedCallersOnlyExport(string entryPoint) =>
        "[" + UnmanagedCallersOnly + "(EntryPoint = \"" + entryPoint + "\", CallConvs = new[] { " + CallConvCdecl + " })]";
}
