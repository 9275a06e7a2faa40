namespace MemoryStrategy.SourceGeneration;

/// <summary>
/// The names of the private members the emitter adds to a strategy. Every one starts with
/// <see cref="MarkerNames.GeneratedPrefix"/>, which the analyzers reserve (MEM1006), so none can clash with user code.
/// </summary>
internal static class EmittedNames
{
    public const string MaxAllocationSize = MarkerNames.GeneratedPrefix + "MaxAllocationSize";
    public const string InstanceMaxAllocationSize = MarkerNames.GeneratedPrefix + "maxAllocationSize";
    public const string StatusTracker = MarkerNames.GeneratedPrefix + "statusTracker";
    public const string TrackerHandle = MarkerNames.GeneratedPrefix + "tracker";

    /// <summary>The current status, read through the handle: one load from the strategy and one from the word.</summary>
    public const string CurrentStatus = TrackerHandle + ".Status";

    /// <summary>
    /// The calling thread's <c>StrategyThread</c>, found through the handle: nothing loaded from the tracker, and the
    /// thread-local storage read first, before the handle's address (see <c>StatusTrackerHandle.ThreadIn</c>).
    /// </summary>
    public const string CurrentThread =
        "global::MemoryStrategy.StatusTrackerHandle.ThreadIn(global::MemoryStrategy.StatusTrackerHandle.CallerSlots, in " + TrackerHandle + ")";
    public const string LiveAllocations = MarkerNames.GeneratedPrefix + "liveAllocations";
    public const string ReleaseLiveAllocations = MarkerNames.GeneratedPrefix + "ReleaseLiveAllocations";
    public const string FreedMemoryPoison = MarkerNames.GeneratedPrefix + "freedMemoryPoison";

    public const string AllocateSlow = MarkerNames.GeneratedPrefix + "AllocateSlow";
    public const string AllocateNestedNotServing = MarkerNames.GeneratedPrefix + "AllocateNestedNotServing";
    public const string AllocateNestedMarked = MarkerNames.GeneratedPrefix + "AllocateNestedMarked";
    public const string DeallocateNestedMarked = MarkerNames.GeneratedPrefix + "DeallocateNestedMarked";
    public const string AllocateOn = MarkerNames.GeneratedPrefix + "AllocateOn";
    public const string AllocateServing = MarkerNames.GeneratedPrefix + "AllocateServing";
    public const string AllocateAdmitted = MarkerNames.GeneratedPrefix + "AllocateAdmitted";
    public const string DeallocateAdmitted = MarkerNames.GeneratedPrefix + "DeallocateAdmitted";
    public const string DeallocateOn = MarkerNames.GeneratedPrefix + "DeallocateOn";
    public const string ThreadScopeType = MarkerNames.ThreadScopeType;
    public const string RefuseLiveBlock = MarkerNames.GeneratedPrefix + "RefuseLiveBlock";
    public const string RefuseDisownedBlock = MarkerNames.GeneratedPrefix + "RefuseDisownedBlock";
    public const string DeallocateSlow = MarkerNames.GeneratedPrefix + "DeallocateSlow";

    /// <summary>The out-of-line call of a split core's slow half (<c>[AllocateSlow]</c>), with the statistics and the end of the call.</summary>
    public const string AllocateSlowHalf = MarkerNames.GeneratedPrefix + "AllocateSlowHalf";

    /// <summary>The same for <c>[DeallocateSlow]</c>.</summary>
    public const string DeallocateSlowHalf = MarkerNames.GeneratedPrefix + "DeallocateSlowHalf";
    public const string CallOwns = MarkerNames.GeneratedPrefix + "CallOwns";
    public const string CheckInvariants = MarkerNames.GeneratedPrefix + "CheckInvariants";
    public const string ValidateSlow = MarkerNames.GeneratedPrefix + "ValidateSlow";

    public const string NativeAllocate = MarkerNames.GeneratedPrefix + "NativeAllocate";
    public const string NativeDeallocate = MarkerNames.GeneratedPrefix + "NativeDeallocate";
    public const string NativeGetStatus = MarkerNames.GeneratedPrefix + "NativeGetStatus";
    public const string NativeValidate = MarkerNames.GeneratedPrefix + "NativeValidate";

    public const string NativeCreate = MarkerNames.GeneratedPrefix + "NativeCreate";
    public const string NativeDestroy = MarkerNames.GeneratedPrefix + "NativeDestroy";
    public const string NativeDeclarations = MarkerNames.GeneratedPrefix + "NativeDeclarations";

    /// <summary>
    /// The export's local and parameters (<c>__MemoryStrategy_arg0</c>, ...): in the reserved prefix, so that no name of
    /// the constructor's (a parameter called <c>strategy</c>, or named as the class) can shadow or clash with them.
    /// </summary>
    public const string NativeCreateStrategy = MarkerNames.GeneratedPrefix + "strategy";
    public const string NativeCreateArgument = MarkerNames.GeneratedPrefix + "arg";
}
