using System;

namespace MemoryStrategy;

/// <summary>
/// Marks a strategy's allocation core: an instance method with the signature <c>void* M(nuint size)</c>.
/// The generated <see cref="IMemoryStrategy.Allocate"/> validates the request, calls it, and counts the result;
/// it is only ever called with <c>0 &lt; size &lt;= MaxAllocationSize</c>. Return <see langword="null"/> when exhausted.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class AllocateAttribute : Attribute
{
}
