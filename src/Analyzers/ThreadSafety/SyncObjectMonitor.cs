using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// <c>lock (_rw)</c> on a <c>ReaderWriterLockSlim</c> (or <c>Monitor.Enter</c> on it, or either on a
/// <c>SemaphoreSlim</c>, a <c>Mutex</c>, a <c>ManualResetEventSlim</c>, ...): every object has a monitor, and
/// <c>lock</c> takes that, which the object's own methods never look at. So it is a lock of its own, apart from the
/// object's read, write or semaphore locks (<see cref="LockId.OnMonitor"/>): code under <c>lock (_rw)</c> runs beside
/// code under <c>_rw.EnterWriteLock()</c>. MEM2006 reports it, naming the methods to use instead.
/// <c>System.Threading.Lock</c> is not such an object: <c>lock</c> on it calls its own <c>EnterScope</c>.
/// </summary>
internal static class SyncObjectMonitor
{
    /// <summary>Whether <paramref name="target"/>, the object of a <c>lock</c> or a <c>Monitor</c> call, is a synchronisation object whose monitor is taken.</summary>
    public static bool TakesMonitor(IOperation target, ConcurrencySymbols symbols) =>
        IsMonitorOperand(target, symbols) && symbols.SynchronizationObjectType(target.WithoutConversions().Type) is not null;

    /// <summary>The MEM2006 message for locking on <paramref name="target"/>, or null when it is no synchronisation object.</summary>
    public static string? Describe(IOperation target, ConcurrencySymbols symbols)
    {
        if (symbols.SynchronizationObjectType(target.WithoutConversions().Type) is not { } type)
        {
            return null;
        }

        return $"'{target.WithoutConversions().Syntax}' is a {type.Name}: lock takes its monitor, which its own methods "
            + $"ignore, so it does not exclude code using them; use its own methods ({OwnMethods(type)}) instead of lock";
    }

    private static bool IsMonitorOperand(IOperation target, ConcurrencySymbols symbols) => target.Parent switch
    {
        ILockOperation => true,
        IArgumentOperation { Parent: IInvocationOperation invocation } => symbols.IsMonitor(invocation.TargetMethod),
        _ => false,
    };

    /// <summary>The calls that take and release <paramref name="type"/>'s own lock, for the message.</summary>
    private static string OwnMethods(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            switch (current.ToDisplayString())
            {
                case "System.Threading.ReaderWriterLockSlim":
                    return "EnterReadLock/EnterWriteLock ... ExitReadLock/ExitWriteLock";
                case "System.Threading.ReaderWriterLock":
                    return "AcquireReaderLock/AcquireWriterLock ... ReleaseReaderLock/ReleaseWriterLock";
                case "System.Threading.SemaphoreSlim":
                    return "Wait/WaitAsync ... Release";
                case "System.Threading.Mutex":
                    return "WaitOne ... ReleaseMutex";
                case "System.Threading.Semaphore":
                    return "WaitOne ... Release";
            }
        }

        return "Wait, Set, Signal, ...";
    }
}
