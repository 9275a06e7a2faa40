using System;

namespace MemoryStrategy;

/// <summary>
/// Marks a strategy's deallocation core: an instance method with the signature <c>void M(void* ptr)</c>.
/// The generated <see cref="IMemoryStrategy.Deallocate"/> only calls it with a pointer that passed validation
/// (non-null and owned, through <see cref="OwnsAttribute"/> or the live-pointer registry).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DeallocateAttribute : Attribute
{
}
