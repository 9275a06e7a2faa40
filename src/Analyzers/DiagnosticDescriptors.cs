using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Every MemoryStrategy diagnostic. Titles and messages are written for the user who sees them in the IDE;
/// each help link names the rule's page under <c>docs/diagnostics</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>
    /// The rule pages; <c>{0}</c> is the rule id. The project has no public web address yet, so the link is a path
    /// that resolves against both roots a user has: the repository and the installed package (which ships
    /// <c>docs/diagnostics</c>, see <c>src/Package</c>). Tests check that every link names an existing page.
    /// </summary>
    public const string HelpLinkFormat = "docs/diagnostics/{0}.md";

    public const string ShapeCategory = "MemoryStrategy.Shape";
    public const string ThreadSafetyCategory = "MemoryStrategy.ThreadSafety";
    public const string ValidationCategory = "MemoryStrategy.Validation";

    /// <summary>MEM1001: "'{0}' must be declared partial so the generator can complete the strategy".</summary>
    public static readonly DiagnosticDescriptor NotPartial = Create(
        RuleIdentifiers.NotPartial,
        "Strategy class or a containing type is not partial",
        "'{0}' must be declared partial so the generator can complete the strategy",
        ShapeCategory,
        DiagnosticSeverity.Error);

    /// <summary>MEM1002: "Strategy '{0}' has no [{1}] method".</summary>
    public static readonly DiagnosticDescriptor MissingRequiredMarker = Create(
        RuleIdentifiers.MissingRequiredMarker,
        "Strategy has no [Allocate] or no [Deallocate] method",
        "Strategy '{0}' has no [{1}] method",
        ShapeCategory,
        DiagnosticSeverity.Error);

    /// <summary>MEM1003: "[{0}] method '{1}' must be an instance, non-generic, non-async method with the signature '{2}'".</summary>
    public static readonly DiagnosticDescriptor WrongMarkerSignature = Create(
        RuleIdentifiers.WrongMarkerSignature,
        "Marker method has the wrong signature",
        "[{0}] method '{1}' must be an instance, non-generic, non-async method with the signature '{2}'",
        ShapeCategory,
        DiagnosticSeverity.Error);

    /// <summary>MEM1004: "[{0}] is already on another method of this strategy; '{1}' cannot carry it too".</summary>
    public static readonly DiagnosticDescriptor DuplicateMarker = Create(
        RuleIdentifiers.DuplicateMarker,
        "Marker appears on more than one method",
        "[{0}] is already on another method of this strategy; '{1}' cannot carry it too",
        ShapeCategory,
        DiagnosticSeverity.Error);

    /// <summary>MEM1005: "Strategy '{0}' cannot be generated: it is {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedStrategyType = Create(
        RuleIdentifiers.UnsupportedStrategyType,
        "Unsupported strategy type",
        "Strategy '{0}' cannot be generated: it is {1}; a strategy is a non-generic, non-static, non-abstract class compiled as C# 9 or later",
        ShapeCategory,
        DiagnosticSeverity.Error);

    /// <summary>MEM1006: "'{0}' is a member the generator emits; rename it".</summary>
    public static readonly DiagnosticDescriptor ConflictingGeneratedMember = Create(
        RuleIdentifiers.ConflictingGeneratedMember,
        "Strategy declares a member the generator emits",
        "'{0}' is a member the generator emits; rename it",
        ShapeCategory,
        DiagnosticSeverity.Error);

    /// <summary>MEM1007: "[{0}] on '{1}' has no effect: {2}" ('S' is not marked [MemoryStrategy]; a local function ...).</summary>
    public static readonly DiagnosticDescriptor MarkerOutsideStrategy = Create(
        RuleIdentifiers.MarkerOutsideStrategy,
        "Marker where the generator does not read it",
        "[{0}] on '{1}' has no effect: {2}",
        ShapeCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM1008: "Strategy '{0}' cannot be exported to C: {1}".</summary>
    public static readonly DiagnosticDescriptor InvalidNativeExport = Create(
        RuleIdentifiers.InvalidNativeExport,
        "Strategy cannot be exported to C",
        "Strategy '{0}' cannot be exported to C: {1}",
        ShapeCategory,
        DiagnosticSeverity.Error);

    /// <summary>MEM1009: "Strategy '{0}' holds the strategy in '{1}' but {2}: dispose it in the [Cleanup] method".</summary>
    public static readonly DiagnosticDescriptor InnerStrategyNotDisposed = Create(
        RuleIdentifiers.InnerStrategyNotDisposed,
        "A strategy holds a strategy its cleanup does not dispose",
        "Strategy '{0}' holds the strategy in '{1}' but {2}: dispose it in the [Cleanup] method",
        ShapeCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM1010: "Strategy '{0}' holds the strategy in '{1}' but never attaches it: call {2} when it is stored" ({2}: the call, for the field or for each element).</summary>
    public static readonly DiagnosticDescriptor InnerStrategyNotAttached = Create(
        RuleIdentifiers.InnerStrategyNotAttached,
        "A strategy holds a strategy it never attaches",
        "Strategy '{0}' holds the strategy in '{1}' but never attaches it: call {2} when it is stored, so that it cannot be disposed while '{0}' routes requests to it",
        ShapeCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM1011: "The core '{0}' calls {1}.{2}, an inner strategy's public entry, …: call {3} instead".</summary>
    public static readonly DiagnosticDescriptor InnerStrategyCalledThroughPublicEntry = Create(
        RuleIdentifiers.InnerStrategyCalledThroughPublicEntry,
        "A strategy's core calls an inner strategy's public entry point",
        "The core '{0}' calls {1}.{2}, an inner strategy's public entry, which repeats the thread-local lookup and the checks its holder's generated entry already made: call {3} instead",
        ShapeCategory,
        DiagnosticSeverity.Info);

    /// <summary>MEM1012: "The core '{0}' calls {2} of '{1}' itself, re-entering the generated wrapper around it …".</summary>
    public static readonly DiagnosticDescriptor CoreCallsItsOwnStrategy = Create(
        RuleIdentifiers.CoreCallsItsOwnStrategy,
        "A strategy's core calls its own strategy's public entry point",
        "The core '{0}' calls {2} of '{1}' itself, re-entering the generated wrapper around the core that is running (from the matching core, without end): call the core or the helper directly",
        ShapeCategory,
        DiagnosticSeverity.Warning);

    /// <summary>
    /// MEM2001: "Non-atomic read-modify-write of '{0}' {1}", {1} saying what holds the update back ("outside a lock:
    /// concurrent calls can lose updates", or the read lock that lets other readers in).
    /// </summary>
    public static readonly DiagnosticDescriptor NonAtomicReadModifyWrite = Create(
        RuleIdentifiers.NonAtomicReadModifyWrite,
        "Non-atomic read-modify-write of a shared field outside a lock",
        "Non-atomic read-modify-write of '{0}' {1}{2}",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>
    /// MEM2002: "Plain write to shared field '{0}' {1}", {1} saying where and what to do ("outside a lock; use a lock,
    /// Volatile.Write or Interlocked", or the read lock that lets other readers in).
    /// </summary>
    public static readonly DiagnosticDescriptor UnsynchronizedWrite = Create(
        RuleIdentifiers.UnsynchronizedWrite,
        "Plain write to a shared field outside a lock",
        "Plain write to shared field '{0}' {1}{2}",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM2003: "{0} '{1}' requires holding '{2}'" (for example "Writing '_count' requires holding '_gate'").</summary>
    public static readonly DiagnosticDescriptor GuardedByViolation = Create(
        RuleIdentifiers.GuardedByViolation,
        "Guarded field accessed without its lock",
        "{0} '{1}' requires holding '{2}'{3}",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>
    /// MEM2004: "'{0}' is a {1}, which is not thread-safe; {2}", {2} the advice ("use it under a lock or use a concurrent
    /// collection", or, for a change made holding a read lock, that the lock lets other readers in).
    /// </summary>
    public static readonly DiagnosticDescriptor UnsynchronizedCollection = Create(
        RuleIdentifiers.UnsynchronizedCollection,
        "Non-thread-safe collection used outside a lock",
        "'{0}' is a {1}, which is not thread-safe; {2}{3}",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM2005: "'{0}' is accessed {1} here but under '{2}' elsewhere".</summary>
    public static readonly DiagnosticDescriptor InconsistentLocking = Create(
        RuleIdentifiers.InconsistentLocking,
        "Field accessed under different locks",
        "'{0}' is accessed {1} here but under '{2}' elsewhere{3}",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM2006: "{0}" (the hygiene problem, for example "locking on 'this' lets any caller take the strategy's lock").</summary>
    public static readonly DiagnosticDescriptor LockHygiene = Create(
        RuleIdentifiers.LockHygiene,
        "Lock on an unsuitable object",
        "{0}",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM2007: "'{0}' is updated with Interlocked elsewhere; this plain write can overwrite a concurrent atomic update".</summary>
    public static readonly DiagnosticDescriptor MixedAtomicAndPlainWrite = Create(
        RuleIdentifiers.MixedAtomicAndPlainWrite,
        "Field updated both with Interlocked and with plain writes",
        "'{0}' is updated with Interlocked elsewhere; this plain write can overwrite a concurrent atomic update{1}",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM2008: "[ThreadStatic] on instance field '{0}' is ignored by the runtime; make it static or use ThreadLocal&lt;T&gt;".</summary>
    public static readonly DiagnosticDescriptor ThreadStaticInstanceField = Create(
        RuleIdentifiers.ThreadStaticInstanceField,
        "[ThreadStatic] on an instance field",
        "[ThreadStatic] on instance field '{0}' is ignored by the runtime; make it static or use ThreadLocal<T>",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM2009: "'{0}' is shared by every instance (static, or reached from a static), but '{1}' is the lock of one instance; ...".</summary>
    public static readonly DiagnosticDescriptor InstanceLockOnSharedState = Create(
        RuleIdentifiers.InstanceLockOnSharedState,
        "State shared by every instance changed under an instance's lock",
        "'{0}' is shared by every instance (static, or reached from a static), but '{1}' is the lock of one instance: two instances can change it at once; lock on a static object{2}",
        ThreadSafetyCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM3001: "'{0}' is the [{1}] core of '{2}'; calling it directly bypasses the generated validation and tracking".</summary>
    public static readonly DiagnosticDescriptor CoreMethodCalledDirectly = Create(
        RuleIdentifiers.CoreMethodCalledDirectly,
        "Strategy core method called directly",
        "'{0}' is the [{1}] core of '{2}'; calling it directly bypasses the generated validation and tracking",
        ValidationCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM3002: "Strategy '{0}' cannot validate deallocations: add an [Owns] method or set TrackAllocations = true".</summary>
    public static readonly DiagnosticDescriptor CannotValidateDeallocation = Create(
        RuleIdentifiers.CannotValidateDeallocation,
        "Strategy cannot validate deallocations",
        "Strategy '{0}' cannot validate deallocations: add an [Owns] method or set TrackAllocations = true",
        ValidationCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM3003: "'{0}' is used to {1} before a successful validation on every path".</summary>
    public static readonly DiagnosticDescriptor UseBeforeValidation = Create(
        RuleIdentifiers.UseBeforeValidation,
        "Strategy used before it is validated",
        "'{0}' is used to {1} before a successful validation on every path",
        ValidationCategory,
        DiagnosticSeverity.Info);

    /// <summary>MEM3004: "The result of '{0}' is discarded".</summary>
    public static readonly DiagnosticDescriptor ValidationResultDiscarded = Create(
        RuleIdentifiers.ValidationResultDiscarded,
        "Validation result discarded",
        "The result of '{0}' is discarded; a validation whose answer is ignored protects nothing",
        ValidationCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM3005: "'{0}' may be null here: Allocate returns null when it refuses or is exhausted".</summary>
    public static readonly DiagnosticDescriptor UncheckedAllocation = Create(
        RuleIdentifiers.UncheckedAllocation,
        "Allocated pointer used without a null check",
        "'{0}' may be null here: Allocate returns null when it refuses or is exhausted",
        ValidationCategory,
        DiagnosticSeverity.Warning);

    /// <summary>MEM3006: "'{0}' is used after it was passed to Deallocate".</summary>
    public static readonly DiagnosticDescriptor UseAfterDeallocate = Create(
        RuleIdentifiers.UseAfterDeallocate,
        "Pointer used after it was deallocated",
        "'{0}' is used after it was passed to Deallocate",
        ValidationCategory,
        DiagnosticSeverity.Warning);

    /// <summary>The help link of a rule.</summary>
    public static string HelpLink(string id) => string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLinkFormat, id);

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
