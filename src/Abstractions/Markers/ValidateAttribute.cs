using System;

namespace MemoryStrategy;

/// <summary>
/// Marks an optional invariant check: an instance method with the signature <c>bool M()</c>. The generated
/// <see cref="IMemoryStrategy.Validate"/> calls it; <see langword="false"/> moves the strategy to
/// <see cref="StrategyStatus.Faulted"/>. It must be re-entrant and cheap: validators call it on every use.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class ValidateAttribute : Attribute
{
}
