using System;

namespace MemoryStrategy;

/// <summary>
/// Marks the slow half of a strategy's deallocation core: an instance method with the signature of a
/// <see cref="DeallocateAttribute"/> core, <c>void M(void* ptr)</c> or <c>bool M(void* ptr)</c>, optionally with a
/// second parameter <see cref="StrategyThread"/> <c>thread</c>. With one, the <c>[Deallocate]</c> core is the fast half
/// and must return <see langword="bool"/>: <see langword="true"/> when it took the block back, <see langword="false"/>
/// when it changed nothing and leaves the decision to this one (a full per-thread cache, a pointer it does not
/// recognise). This one then decides as a <c>[Deallocate]</c> core would: a <see langword="bool"/> slow half refuses a
/// foreign, interior or freed pointer by returning <see langword="false"/>, counted as a refused deallocation.
/// </summary>
/// <remarks>
/// <para>
/// The fast half must not change anything when it returns <see langword="false"/>: the slow half sees the pointer as
/// if the fast half had never run, and decides ownership again. See <see cref="AllocateSlowAttribute"/> for why a core
/// is split, and when the slow half runs out of line (there together with the statistics and the end of the call, so
/// the fast path keeps nothing across a call).
/// </para>
/// <para>
/// Requires a <c>bool</c> <see cref="DeallocateAttribute"/> core on the same strategy. Neither half is called by your
/// own code: the analyzers report a direct call of either (MEM3001).
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class DeallocateSlowAttribute : Attribute
{
}
