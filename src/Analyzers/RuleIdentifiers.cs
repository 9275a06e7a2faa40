namespace MemoryStrategy.Analyzers;

/// <summary>Every MemoryStrategy diagnostic id, in one place. Ids are fixed: users suppress them by name.</summary>
internal static class RuleIdentifiers
{
    // Shape: the class the generator completes.
    public const string NotPartial = "MEM1001";
    public const string MissingRequiredMarker = "MEM1002";
    public const string WrongMarkerSignature = "MEM1003";
    public const string DuplicateMarker = "MEM1004";
    public const string UnsupportedStrategyType = "MEM1005";
    public const string ConflictingGeneratedMember = "MEM1006";
    public const string MarkerOutsideStrategy = "MEM1007";
    public const string InvalidNativeExport = "MEM1008";
    public const string InnerStrategyNotDisposed = "MEM1009";
    public const string InnerStrategyNotAttached = "MEM1010";
    public const string InnerStrategyCalledThroughPublicEntry = "MEM1011";
    public const string CoreCallsItsOwnStrategy = "MEM1012";

    // Thread safety: fields of a strategy, on every path from its entry points.
    public const string NonAtomicReadModifyWrite = "MEM2001";
    public const string UnsynchronizedWrite = "MEM2002";
    public const string GuardedByViolation = "MEM2003";
    public const string UnsynchronizedCollection = "MEM2004";
    public const string InconsistentLocking = "MEM2005";
    public const string LockHygiene = "MEM2006";
    public const string MixedAtomicAndPlainWrite = "MEM2007";
    public const string ThreadStaticInstanceField = "MEM2008";
    public const string InstanceLockOnSharedState = "MEM2009";

    // Validation: the C interface's "always validate before use".
    public const string CoreMethodCalledDirectly = "MEM3001";
    public const string CannotValidateDeallocation = "MEM3002";
    public const string UseBeforeValidation = "MEM3003";
    public const string ValidationResultDiscarded = "MEM3004";
    public const string UncheckedAllocation = "MEM3005";
    public const string UseAfterDeallocate = "MEM3006";
}
