using System;

namespace MemoryStrategy;

/// <summary>
/// Marks a strategy's allocation core: an instance method with the signature <c>void* M(nuint size)</c>, or
/// <c>void* M(nuint size, StrategyThread thread)</c> to receive the calling thread's <see cref="StrategyThread"/>.
/// The generated <see cref="IMemoryStrategy.Allocate"/> validates the request, calls it, and counts the result;
/// it is only ever called with <c>0 &lt; size &lt;= MaxAllocationSize</c>. Return <see langword="null"/> when exhausted.
/// </summary>
/// <remarks>
/// The <see cref="StrategyThread"/> is the object the generated code looked up for its statistics: a core that
/// keeps per-thread state (a cache of free blocks) in its <see cref="StrategyThread.State"/> finds it with no
/// thread-local lookup of its own.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class AllocateAttribute : Attribute
{
}
