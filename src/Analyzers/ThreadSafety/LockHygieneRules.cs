using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM2006 over one strategy: what is locked on (this, a Type, a string, a value type, a field that is not
/// readonly), lock fields reassigned after construction, and <c>SpinLock</c>s kept in readonly fields.
/// </summary>
internal static class LockHygieneRules
{
    public static void Run(INamedTypeSymbol strategy, StrategyCallGraph graph, StrategyFacts facts, ConcurrencySymbols symbols, Action<Diagnostic> report)
    {
        foreach (CodeNode node in graph.Nodes)
        {
            foreach (IOperation target in node.LockTargets)
            {
                if (DescribeBadTarget(target, symbols) is { } problem)
                {
                    report(Diagnostic.Create(DiagnosticDescriptors.LockHygiene, target.Syntax.GetLocation(), problem));
                }
            }

            if (node.Role == NodeRole.Construction)
            {
                continue;
            }

            foreach (FieldAccess access in node.Accesses)
            {
                if (facts.IsLockField(access.Member) && !access.ThroughElement && access.Kind is AccessKind.Write or AccessKind.ReadModifyWrite)
                {
                    report(Diagnostic.Create(
                        DiagnosticDescriptors.LockHygiene,
                        access.Location,
                        $"'{access.Member.Name}' is used as a lock and reassigned here: threads that locked the old object no longer exclude the new ones"));
                }
            }
        }

        foreach (ISymbol member in strategy.GetMembers())
        {
            if (member is IFieldSymbol { IsReadOnly: true } field && symbols.IsSpinLockType(field.Type) && !field.IsImplicitlyDeclared)
            {
                report(Diagnostic.Create(
                    DiagnosticDescriptors.LockHygiene,
                    field.Locations[0],
                    $"SpinLock '{field.Name}' is in a readonly field: every Enter works on a copy, so it excludes nothing"));
            }
        }
    }

    private static string? DescribeBadTarget(IOperation target, ConcurrencySymbols symbols)
    {
        IOperation value = target.WithoutConversions();
        if (value is IInstanceReferenceOperation)
        {
            return "Locking on 'this' lets any code that holds the strategy take its lock; lock on a private readonly field";
        }

        if (value is ITypeOfOperation || SymbolEqualityComparer.Default.Equals(value.Type, symbols.SystemType))
        {
            return "Locking on a Type shares the lock with every caller in the process; lock on a private readonly field";
        }

        if (value.Type?.SpecialType == SpecialType.System_String)
        {
            return "Locking on a string shares the lock with every user of the same interned string; lock on a private readonly field";
        }

        if (value.Type?.IsValueType == true)
        {
            return "Locking on a value type boxes it: each lock takes a new object and excludes nothing";
        }

        if (value is IFieldReferenceOperation { Field: { IsReadOnly: false } field } && LockId.IsOwnMember(((IFieldReferenceOperation)value).Instance))
        {
            return $"Lock field '{field.Name}' is not readonly: once it is reassigned, two threads can hold 'the' lock at the same time";
        }

        return null;
    }
}
