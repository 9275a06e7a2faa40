using System;

namespace MemoryStrategy;

/// <summary>
/// Marks the slow half of a strategy's allocation core: an instance method with the signature of an
/// <see cref="AllocateAttribute"/> core, <c>void* M(nuint size)</c> or <c>void* M(nuint size, StrategyThread thread)</c>.
/// With one, the <c>[Allocate]</c> core is the fast half: it returns <see langword="null"/> when it cannot serve the
/// request cheaply (an empty per-thread cache, say), and the generated code then calls this one, which returns
/// <see langword="null"/> only when the strategy is exhausted.
/// </summary>
/// <remarks>
/// <para>
/// Why split a core: the generated code counts every allocation in the calling thread's <see cref="StrategyThread"/>
/// after the core returns. A core that calls out of line on one of its branches (to refill a cache) makes the
/// caller's loop keep that object across the call, in a stack slot when the loop has no spare register, on every
/// call. With the slow half marked, the generated code calls it out of line together with the statistics and the
/// end of the call, so the fast path keeps nothing across a call (where the generated body ends the call itself:
/// <c>FaultOnCoreException = false</c> on a strategy with a <see cref="CleanupAttribute"/> method, without
/// <c>TrackAllocations</c> or <c>PoisonFreedMemory</c>; elsewhere it calls the slow half in line, right after the
/// fast one). Both halves run under the same status gate, size
/// check, in-call mark and fault handling; an allocation is counted once, whichever half served it.
/// </para>
/// <para>
/// Requires an <see cref="AllocateAttribute"/> core on the same strategy. Neither half is called by your own code: the
/// analyzers report a direct call of either (MEM2001).
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class AllocateSlowAttribute : Attribute
{
}
