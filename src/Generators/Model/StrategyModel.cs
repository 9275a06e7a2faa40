namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// Everything the emitter needs to complete one strategy class: plain strings, numbers and flags, so two models
/// read from unchanged source compare equal and the driver skips the emitter. No Roslyn object is kept here.
/// </summary>
/// <param name="HintName">The generated file's name, unique per strategy: namespace, containing types, type name.</param>
/// <param name="Namespace">The namespace, escaped and dotted, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types the strategy is nested in, outermost first.</param>
/// <param name="TypeName">The strategy class's name, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="StrategyName">The name given to the status tracker (<c>Name</c>, or the type's name).</param>
/// <param name="MaxAllocationSize">The largest size the wrappers pass to the core (always positive).</param>
/// <param name="TrackAllocations">Whether a live-pointer registry decides ownership.</param>
/// <param name="Markers">The user's core methods, by marker.</param>
/// <param name="NativeExport">The C exports to emit, or null when <c>NativeExport</c> is not set.</param>
/// <param name="PoisonFreedMemory">Debug option: poison freed blocks and check the poison when they are handed out again.</param>
/// <param name="ZeroOnAllocate">Zero every block before handing it out.</param>
/// <param name="FaultOnCoreException">
/// Whether the core calls sit under handlers that fault the strategy on an exception (<c>FaultOnCoreException</c>,
/// default true; always true with <c>PoisonFreedMemory</c>, whose check faults by throwing).
/// </param>
/// <param name="UserDiagnosticIds">
/// The ids, sorted, that calls to the user's cores or exported constructor report because the user marked them for
/// their own callers (<c>[Obsolete(DiagnosticId = ...)]</c>, <c>[Experimental]</c>): the generated file turns them off.
/// </param>
internal sealed record StrategyModel(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string TypeName,
    string StrategyName,
    long MaxAllocationSize,
    bool TrackAllocations,
    MarkerMethods Markers,
    NativeExportModel? NativeExport,
    bool PoisonFreedMemory,
    bool ZeroOnAllocate,
    bool FaultOnCoreException,
    EquatableArray<string> UserDiagnosticIds);
