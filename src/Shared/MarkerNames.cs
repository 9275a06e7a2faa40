namespace MemoryStrategy.SourceGeneration;

/// <summary>The metadata names of the attributes in MemoryStrategy.Abstractions, and the generator's member names.</summary>
internal static class MarkerNames
{
    public const string Namespace = "MemoryStrategy";
    public const string MemoryStrategyAttribute = "MemoryStrategy.MemoryStrategyAttribute";
    public const string AllocateAttribute = "MemoryStrategy.AllocateAttribute";
    public const string DeallocateAttribute = "MemoryStrategy.DeallocateAttribute";
    public const string AllocateSlowAttribute = "MemoryStrategy.AllocateSlowAttribute";
    public const string DeallocateSlowAttribute = "MemoryStrategy.DeallocateSlowAttribute";
    public const string OwnsAttribute = "MemoryStrategy.OwnsAttribute";
    public const string ValidateAttribute = "MemoryStrategy.ValidateAttribute";
    public const string CleanupAttribute = "MemoryStrategy.CleanupAttribute";
    public const string GuardedByAttribute = "MemoryStrategy.GuardedByAttribute";
    public const string BenignRaceAttribute = "MemoryStrategy.BenignRaceAttribute";
    public const string SingleThreadedAttribute = "MemoryStrategy.SingleThreadedAttribute";
    public const string IMemoryStrategy = "MemoryStrategy.IMemoryStrategy";
    public const string StrategyValidator = "MemoryStrategy.StrategyValidator";

    /// <summary>Named arguments of <c>[MemoryStrategy]</c>.</summary>
    public const string MaxAllocationSizeArgument = "MaxAllocationSize";
    public const string TrackAllocationsArgument = "TrackAllocations";
    public const string NameArgument = "Name";
    public const string NativeExportArgument = "NativeExport";
    public const string PoisonFreedMemoryArgument = "PoisonFreedMemory";
    public const string ZeroOnAllocateArgument = "ZeroOnAllocate";
    public const string FaultOnCoreExceptionArgument = "FaultOnCoreException";

    /// <summary>Matches <c>MemoryStrategyAttribute.DefaultMaxAllocationSize</c>.</summary>
    public const long DefaultMaxAllocationSize = 1L << 30;

    /// <summary>
    /// Prefix of every private member the generator adds. Users must not declare members starting with it.
    /// </summary>
    public const string GeneratedPrefix = "__MemoryStrategy_";

    /// <summary>
    /// The members the generator declares on a strategy, besides the prefixed private ones; a user declaration of any
    /// of them is MEM1006. Kept by hand: a generator test compares it with what the emitter declares, both ways.
    /// </summary>
    public static readonly string[] GeneratedMembers =
    [
        "Allocate",
        "Deallocate",
        "GetStatus",
        "Validate",
        "Owns",
        "MaxAllocationSize",
        "StatusTracker",
        "Dispose",
        "CreateNativeHandle",
        LimitMaxAllocationSizeMethod,
        "ForCurrentThread",
        ThreadScopeType,
        AllocateNestedMethod,
        DeallocateNestedMethod,
        OwnsNestedMethod,
    ];

    /// <summary>
    /// The generated entry points for a strategy that holds this one: the emitter declares them, and MEM1011 points a
    /// holder's core at them.
    /// </summary>
    public const string AllocateNestedMethod = "AllocateNested";
    public const string DeallocateNestedMethod = "DeallocateNested";
    public const string OwnsNestedMethod = "OwnsNested";

    /// <summary>The generated nested <c>ref struct</c> that <c>ForCurrentThread()</c> returns.</summary>
    public const string ThreadScopeType = "ThreadScope";

    /// <summary>The generated private method a constructor calls to lower one instance's limit.</summary>
    public const string LimitMaxAllocationSizeMethod = "LimitMaxAllocationSize";
}
