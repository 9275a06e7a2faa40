using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The three locks of a <c>ReaderWriterLockSlim</c>, by the name of the call that takes or releases one:
/// <c>EnterWriteLock</c> / <c>TryEnterWriteLock</c> / <c>ExitWriteLock</c> hold it exclusively,
/// <c>…UpgradeableReadLock</c> hold it upgradeable (one holder among upgradeable and write holders, readers beside it),
/// <c>…ReadLock</c> hold it shared (<see cref="LockMode"/>). Each is the same lock object in another mode, so
/// <c>ExitReadLock</c> releases what <c>EnterReadLock</c> took, not the write lock an upgradeable holder took on top.
/// </summary>
internal static class ReaderWriterLock
{
    /// <summary>The mode <paramref name="invocation"/> takes or releases (<paramref name="verb"/>: Enter, TryEnter, Exit), or null.</summary>
    public static LockMode? ModeOf(IInvocationOperation invocation, ConcurrencySymbols symbols, string verb)
    {
        if (invocation.Instance is not { } instance || !symbols.IsReaderWriterLockType(instance.Type))
        {
            return null;
        }

        string name = invocation.TargetMethod.Name;
        return name == verb + "WriteLock" ? LockMode.Exclusive
            : name == verb + "UpgradeableReadLock" ? LockMode.Upgradeable
            : name == verb + "ReadLock" ? LockMode.Shared
            : null;
    }
}
