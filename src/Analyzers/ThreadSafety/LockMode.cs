namespace MemoryStrategy.Analyzers;

/// <summary>
/// How a lock is held. Every lock but a <c>ReaderWriterLockSlim</c> has one mode, <see cref="Exclusive"/>; a
/// reader-writer lock has three, and which two holders exclude each other depends on theirs.
/// </summary>
internal enum LockMode
{
    /// <summary><c>lock</c>, <c>Monitor</c>, <c>Lock</c>, <c>SpinLock</c>, a mutex semaphore, a write lock: one holder at a time.</summary>
    Exclusive,

    /// <summary>
    /// An upgradeable read lock: one holder at a time among upgradeable and write holders, but readers holding the read
    /// lock run beside it.
    /// </summary>
    Upgradeable,

    /// <summary>A read lock: any number of readers hold it together, and an upgradeable holder beside them; writers wait.</summary>
    Shared,
}
