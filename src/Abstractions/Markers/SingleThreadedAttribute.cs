using System;

namespace MemoryStrategy;

/// <summary>
/// Declares that a member never runs concurrently with the strategy's other calls: it runs before the strategy is
/// shared (a two-phase initialiser, a <c>Warm()</c> called by the code that creates the strategy), or only ever on
/// one dedicated thread (a background trimmer that is the only writer of its state). The MemoryStrategy
/// thread-safety analyzers treat it like a constructor: its accesses, and those of the helpers only it reaches,
/// are not reported.
/// </summary>
/// <remarks>
/// The claim is the author's, not checked: a member marked here and also called from a marker method or another
/// thread races like any other. Say why it holds in <see cref="Reason"/>; reviewers read it.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false, AllowMultiple = false)]
public sealed class SingleThreadedAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="reason">Why the member never runs concurrently: "called once by the factory before the strategy is returned".</param>
    public SingleThreadedAttribute(string reason) => Reason = reason;

    /// <summary>Why the member never runs concurrently with other calls.</summary>
    public string Reason { get; }
}
