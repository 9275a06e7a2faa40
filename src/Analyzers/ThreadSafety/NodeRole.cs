namespace MemoryStrategy.Analyzers;

/// <summary>How a piece of a strategy's code is reached.</summary>
internal enum NodeRole
{
    /// <summary>
    /// Runs concurrently by contract: a marker method, a non-private member, a method or lambda handed to another
    /// thread (<c>Task.Run</c>, a timer) or stored as a delegate.
    /// </summary>
    Entry,

    /// <summary>Runs only when its callers call it: private methods, local functions, lambdas run in place.</summary>
    Helper,

    /// <summary>
    /// Runs before the strategy is shared or after it stopped serving: constructors, field initialisers,
    /// finalizers and the <c>[Cleanup]</c> method. Exempt from the race rules.
    /// </summary>
    Construction,
}
