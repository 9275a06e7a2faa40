namespace MemoryStrategy;

/// <summary>
/// The health of a memory strategy (the C interface's <c>StrategyStatus</c>). The numeric values are part
/// of the C ABI: the native vtable's <c>get_status</c> returns them as a 32-bit integer.
/// </summary>
/// <remarks>
/// Legal transitions (anything else is refused by <see cref="StatusTracker.TryTransition"/>):
/// <list type="table">
/// <listheader><term>from</term><description>to</description></listheader>
/// <item><term><see cref="Uninitialized"/></term><description><see cref="Ready"/>, <see cref="Faulted"/>, <see cref="Disposed"/></description></item>
/// <item><term><see cref="Ready"/></term><description><see cref="Degraded"/>, <see cref="Faulted"/>, <see cref="Disposed"/></description></item>
/// <item><term><see cref="Degraded"/></term><description><see cref="Ready"/>, <see cref="Faulted"/>, <see cref="Disposed"/></description></item>
/// <item><term><see cref="Faulted"/></term><description><see cref="Disposed"/></description></item>
/// <item><term><see cref="Disposed"/></term><description>none (terminal)</description></item>
/// </list>
/// </remarks>
public enum StrategyStatus
{
    /// <summary>Created; its invariants have not been checked yet. The first validation moves it on.</summary>
    Uninitialized = 0,

    /// <summary>Validated and serving allocations.</summary>
    Ready = 1,

    /// <summary>Serving, but its last allocation failed for exhaustion. The next success moves it back to <see cref="Ready"/>.</summary>
    Degraded = 2,

    /// <summary>An invariant check failed or a core method threw. Every further allocation is refused.</summary>
    Faulted = 3,

    /// <summary>Disposed. Terminal: every further call is refused.</summary>
    Disposed = 4,
}
