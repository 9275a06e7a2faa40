using System;

namespace MemoryStrategy;

/// <summary>
/// Marks an optional ownership test: an instance method with the signature <c>bool M(void* ptr)</c> that returns
/// <see langword="true"/> only for a live allocation of this strategy. It lets the generated code refuse foreign,
/// interior and already-freed pointers before they reach the <see cref="DeallocateAttribute"/> core.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class OwnsAttribute : Attribute
{
}
