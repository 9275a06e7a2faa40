namespace MemoryStrategy.Analyzers;

/// <summary>The properties MEM3003 attaches to a diagnostic, for its code fix.</summary>
internal static class UseBeforeValidationProperties
{
    /// <summary>
    /// Present when the strategy comes from a property getter that makes a new one on every read: no guard on a read
    /// can validate the strategy the next read returns, so the fix does not offer one.
    /// </summary>
    public const string NewOnEveryRead = "NewOnEveryRead";
}
