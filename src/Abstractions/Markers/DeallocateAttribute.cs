using System;

namespace MemoryStrategy;

/// <summary>
/// Marks a strategy's deallocation core: an instance method <c>void M(void* ptr)</c> or <c>bool M(void* ptr)</c>,
/// optionally with a second parameter <see cref="StrategyThread"/> <c>thread</c>.
/// </summary>
/// <remarks>
/// <para>
/// A <c>void</c> core is only called with a pointer that passed validation: non-null and owned, as the
/// live-pointer registry (<c>TrackAllocations</c>) or <see cref="OwnsAttribute"/> says.
/// </para>
/// <para>
/// A <c>bool</c> core decides ownership itself: it is called with any non-null pointer (unless the registry is on,
/// which still decides first), takes the block back and returns <see langword="true"/>, or changes nothing and
/// returns <see langword="false"/> for a foreign, interior or already-freed pointer; the generated code counts that
/// as a refused deallocation. <c>[Owns]</c> is then not asked on every free, so ownership is decided once; it still
/// answers <see cref="IMemoryStrategy.Owns"/> and validation.
/// </para>
/// <para>
/// With the <see cref="StrategyThread"/> parameter, the core receives the calling thread's object, which the
/// generated code looked up for its statistics anyway: keep per-thread state in its <see cref="StrategyThread.State"/>
/// and the call costs one thread-local lookup instead of two.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DeallocateAttribute : Attribute
{
}
