using System;

namespace MemoryStrategy;

/// <summary>
/// Declares that unsynchronised access to a field is intended (a statistic that may be stale, a cache that is
/// recomputed on a miss). The MemoryStrategy thread-safety analyzers do not report the field.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class BenignRaceAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="justification">Why the race is harmless; kept for reviewers.</param>
    public BenignRaceAttribute(string justification) => Justification = justification;

    /// <summary>Why the race is harmless.</summary>
    public string Justification { get; }
}
