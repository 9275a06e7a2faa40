using System;

namespace MemoryStrategy;

/// <summary>
/// Marks an optional release step: an instance method with the signature <c>void M()</c>, called exactly once by
/// the generated <see cref="IDisposable.Dispose"/>, after the strategy has moved to <see cref="StrategyStatus.Disposed"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class CleanupAttribute : Attribute
{
}
