using System;

namespace MemoryStrategy;

/// <summary>
/// Declares that a field may only be read or written while holding the named lock (Clang's <c>GUARDED_BY</c>,
/// Error Prone's <c>@GuardedBy</c>). The MemoryStrategy analyzers report accesses without the lock (MEM2003).
/// </summary>
/// <example><c>[GuardedBy(nameof(_gate))] private int _count;</c></example>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class GuardedByAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="lockMemberName">The name of the field that holds the lock, usually written with <see langword="nameof"/>.</param>
    public GuardedByAttribute(string lockMemberName) => LockMemberName = lockMemberName;

    /// <summary>The name of the field that must be locked around every access.</summary>
    public string LockMemberName { get; }
}
