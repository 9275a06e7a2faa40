using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Recognises the ways C# code takes and releases a lock, besides the <c>lock</c> statement: <c>Monitor.Enter</c>
/// / <c>TryEnter(..., ref taken)</c> / <c>Exit</c>, <c>System.Threading.Lock</c>'s <c>Enter</c>, <c>TryEnter</c>,
/// <c>Exit</c> and <c>EnterScope</c>, <c>SpinLock</c>'s <c>Enter</c>, <c>TryEnter</c>, <c>Exit</c>, the write, upgradeable
/// read and read locks of a <c>ReaderWriterLockSlim</c> (each in its <see cref="LockMode"/>), and <c>Wait</c> /
/// <c>await WaitAsync</c> ... <c>Release</c> on a <c>SemaphoreSlim(1, 1)</c> used as a mutex (<see cref="SemaphoreMutex"/>).
/// Each answer is the locked object and the mode it is held in (<see cref="LockMode.Exclusive"/> but for a
/// reader-writer lock).
/// </summary>
internal static class LockPatterns
{
    /// <summary>
    /// A statement after which the lock is held for the rest of its block: <c>Monitor.Enter(x)</c>,
    /// <c>Monitor.TryEnter(x, ref taken)</c>, <c>_lock.Enter()</c>, <c>_spin.Enter(ref taken)</c>,
    /// <c>using var scope = _lock.EnterScope();</c>, <c>_rw.EnterReadLock()</c>. A <c>TryEnter</c> with a <c>ref bool</c>
    /// is taken as held: code that goes on without checking the flag is rare, and counting it as unlocked would flood
    /// real code with reports.
    /// </summary>
    public static IOperation? GetAcquiredTarget(IOperation statement, ConcurrencySymbols symbols, out LockMode mode)
    {
        mode = LockMode.Exclusive;
        if (statement is IUsingDeclarationOperation usingDeclaration)
        {
            return GetScopeTarget(usingDeclaration.DeclarationGroup, symbols);
        }

        if (statement is IExpressionStatementOperation { Operation: IAwaitOperation awaited })
        {
            return AwaitedCall(awaited) is { } call ? SemaphoreWait(call, symbols, "WaitAsync", returnsBool: false) : null;
        }

        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation invocation })
        {
            return null;
        }

        if (SemaphoreWait(invocation, symbols, "Wait", returnsBool: false) is { } semaphore)
        {
            return semaphore;
        }

        IMethodSymbol method = invocation.TargetMethod;
        if (symbols.IsMonitor(method))
        {
            bool acquires = method.Name == "Enter" || (method.Name == "TryEnter" && HasRefArgument(invocation));
            return acquires && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
        }

        if (IsLockMethod(invocation, symbols, "Enter") || (IsLockMethod(invocation, symbols, "TryEnter") && HasRefArgument(invocation)))
        {
            return invocation.Instance;
        }

        if (ReaderWriterLock.ModeOf(invocation, symbols, "Enter") is { } held)
        {
            mode = held;
            return invocation.Instance;
        }

        return null;
    }

    /// <summary>
    /// A statement that releases a lock: <c>Monitor.Exit(x)</c>, <c>_lock.Exit()</c>, <c>_spin.Exit()</c>,
    /// <c>_rw.ExitReadLock()</c> (in the mode it was held in), <c>_gate.Release()</c>.
    /// </summary>
    public static IOperation? GetReleasedTarget(IOperation statement, ConcurrencySymbols symbols, out LockMode mode)
    {
        mode = LockMode.Exclusive;
        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation invocation })
        {
            return null;
        }

        if (symbols.IsMonitor(invocation.TargetMethod) && invocation.TargetMethod.Name == "Exit" && invocation.Arguments.Length > 0)
        {
            return invocation.Arguments[0].Value;
        }

        if (ReaderWriterLock.ModeOf(invocation, symbols, "Exit") is { } held)
        {
            mode = held;
            return invocation.Instance;
        }

        return IsLockMethod(invocation, symbols, "Exit") || (invocation.TargetMethod.Name == "Release" && symbols.IsMutexSemaphore(invocation.Instance))
            ? invocation.Instance
            : null;
    }

    /// <summary>The call whose task <paramref name="awaited"/> waits for, through a <c>.ConfigureAwait(...)</c>.</summary>
    private static IInvocationOperation? AwaitedCall(IAwaitOperation awaited)
    {
        IInvocationOperation? call = awaited.Operation as IInvocationOperation;
        return call is { TargetMethod.Name: "ConfigureAwait", Instance: IInvocationOperation configured } ? configured : call;
    }

    /// <summary>
    /// <c>_gate.Wait()</c>, <c>await _gate.WaitAsync(token)</c> (<paramref name="returnsBool"/> false: it returns once
    /// the semaphore is taken, or throws), or <c>_gate.Wait(timeout)</c>, <c>await _gate.WaitAsync(timeout)</c>
    /// (true: it says whether it was taken), on a mutex semaphore: the semaphore, or null.
    /// </summary>
    private static IOperation? SemaphoreWait(IInvocationOperation invocation, ConcurrencySymbols symbols, string name, bool returnsBool)
    {
        IMethodSymbol method = invocation.TargetMethod;
        bool saysTaken = method.ReturnType.SpecialType == SpecialType.System_Boolean
            || method.ReturnType is INamedTypeSymbol { IsGenericType: true, TypeArguments: { Length: 1 } typeArguments } && typeArguments[0].SpecialType == SpecialType.System_Boolean;
        return method.Name == name && saysTaken == returnsBool && symbols.IsMutexSemaphore(invocation.Instance) ? invocation.Instance : null;
    }

    /// <summary>
    /// A condition true exactly when a lock was taken (<c>Monitor.TryEnter(x)</c>, <c>_lock.TryEnter()</c>,
    /// <c>_rw.TryEnterReadLock(timeout)</c>), or its negation (<paramref name="heldWhenTrue"/> false).
    /// </summary>
    public static IOperation? GetConditionalTarget(IOperation condition, ConcurrencySymbols symbols, out bool heldWhenTrue, out LockMode mode)
    {
        heldWhenTrue = true;
        mode = LockMode.Exclusive;
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            heldWhenTrue = !heldWhenTrue;
            condition = not.Operand;
        }

        if (condition is IAwaitOperation awaited)
        {
            return AwaitedCall(awaited) is { } call ? SemaphoreWait(call, symbols, "WaitAsync", returnsBool: true) : null;
        }

        if (condition is IInvocationOperation semaphoreWait && SemaphoreWait(semaphoreWait, symbols, "Wait", returnsBool: true) is { } semaphore)
        {
            return semaphore;
        }

        if (condition is IInvocationOperation tryReaderWriter && ReaderWriterLock.ModeOf(tryReaderWriter, symbols, "TryEnter") is { } tried)
        {
            mode = tried;
            return tryReaderWriter.Instance;
        }

        if (condition is not IInvocationOperation { TargetMethod.Name: "TryEnter" } invocation || HasRefArgument(invocation))
        {
            return null;
        }

        if (symbols.IsMonitor(invocation.TargetMethod))
        {
            return invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
        }

        return IsLockMethod(invocation, symbols, "TryEnter") ? invocation.Instance : null;
    }

    /// <summary><c>using (_lock.EnterScope())</c> or <c>using (var s = _lock.EnterScope())</c>: the lock, if any.</summary>
    public static IOperation? GetScopeTarget(IOperation? resource, ConcurrencySymbols symbols)
    {
        switch (resource)
        {
            case IInvocationOperation invocation when IsLockMethod(invocation, symbols, "EnterScope"):
                return invocation.Instance;
            case IVariableDeclarationGroupOperation group:
                foreach (IVariableDeclarationOperation declaration in group.Declarations)
                {
                    foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                    {
                        if (declarator.Initializer?.Value is IInvocationOperation initializer && IsLockMethod(initializer, symbols, "EnterScope"))
                        {
                            return initializer.Instance;
                        }
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The locks a <c>finally</c> clause releases, with their modes: after the <c>try</c> statement they are no longer held.</summary>
    public static IEnumerable<(IOperation Target, LockMode Mode)> GetReleasedInFinally(ITryOperation tryOperation, ConcurrencySymbols symbols)
    {
        if (tryOperation.Finally is null)
        {
            yield break;
        }

        foreach (IOperation operation in tryOperation.Finally.Descendants())
        {
            if (operation is IExpressionStatementOperation && GetReleasedTarget(operation, symbols, out LockMode mode) is { } target)
            {
                yield return (target, mode);
            }
        }
    }

    private static bool IsLockMethod(IInvocationOperation invocation, ConcurrencySymbols symbols, string name) =>
        invocation.TargetMethod.Name == name
        && invocation.Instance is { } instance
        && (symbols.IsLockType(instance.Type) || symbols.IsSpinLockType(instance.Type));

    private static bool HasRefArgument(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Ref)
            {
                return true;
            }
        }

        return false;
    }
}
