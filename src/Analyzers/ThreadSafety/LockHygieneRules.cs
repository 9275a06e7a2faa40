using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM2006 over the code a strategy reaches (its own and its helpers'): what is locked on (this, a Type, a string, a
/// value type, a field that is not readonly, a synchronisation object whose own methods are its lock), lock fields
/// reassigned after construction, and <c>SpinLock</c>s kept in readonly fields. <c>lock (this)</c> is one design
/// decision of a type, so it is reported once per type, at its first occurrence.
/// </summary>
internal static class LockHygieneRules
{
    public static void Run(ConcurrentContexts contexts, StrategyFacts facts, ConcurrencySymbols symbols, ThreadSafetyCompilation compilation, Action<Diagnostic> report)
    {
        var nodes = new HashSet<CodeNode>();
        var concurrentNodes = new HashSet<CodeNode>();
        foreach (CallContext context in contexts.All)
        {
            nodes.Add(context.Node);
            if (context.Concurrent)
            {
                concurrentNodes.Add(context.Node);
            }
        }

        var types = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        var lockedOnThis = new Dictionary<INamedTypeSymbol, IOperation>(SymbolEqualityComparer.Default);
        foreach (CodeNode node in nodes)
        {
            if (node.Symbol.ContainingType is { } type)
            {
                types.Add(type.OriginalDefinition);
            }

            foreach (IOperation target in node.LockTargets)
            {
                if (target.WithoutConversions() is IInstanceReferenceOperation { Type: INamedTypeSymbol thisType })
                {
                    if (!lockedOnThis.TryGetValue(thisType.OriginalDefinition, out IOperation? first) || IsBefore(target, first))
                    {
                        lockedOnThis[thisType.OriginalDefinition] = target;
                    }
                }
                else if (DescribeBadTarget(target, symbols) is { } problem)
                {
                    Report(compilation, report, target.Syntax.GetLocation(), problem);
                }
            }
        }

        foreach (IOperation target in lockedOnThis.Values)
        {
            Report(compilation, report, target.Syntax.GetLocation(), "Locking on 'this' lets any code that holds the object take its lock; lock on a private readonly field (reported once per type)");
        }

        foreach (CodeNode node in concurrentNodes)
        {
            foreach (FieldAccess access in node.Accesses)
            {
                if (facts.IsLockField(access.Member) && !access.ThroughElement && access.Kind is AccessKind.Write or AccessKind.ReadModifyWrite)
                {
                    Report(compilation, report, access.Location, $"'{access.Member.Name}' is used as a lock and reassigned here: threads that locked the old object no longer exclude the new ones");
                }
            }
        }

        foreach (INamedTypeSymbol type in types)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IFieldSymbol { IsReadOnly: true } field && symbols.IsSpinLockType(field.Type) && !field.IsImplicitlyDeclared)
                {
                    Report(compilation, report, field.Locations[0], $"SpinLock '{field.Name}' is in a readonly field: every Enter works on a copy, so it excludes nothing");
                }
            }
        }
    }

    private static bool IsBefore(IOperation a, IOperation b)
    {
        int byPath = string.CompareOrdinal(a.Syntax.SyntaxTree.FilePath, b.Syntax.SyntaxTree.FilePath);
        return byPath < 0 || (byPath == 0 && a.Syntax.SpanStart < b.Syntax.SpanStart);
    }

    private static void Report(ThreadSafetyCompilation compilation, Action<Diagnostic> report, Location location, string problem)
    {
        if (compilation.Claim(location))
        {
            report(Diagnostic.Create(DiagnosticDescriptors.LockHygiene, location, problem));
        }
    }

    private static string? DescribeBadTarget(IOperation target, ConcurrencySymbols symbols)
    {
        // Checked first: a lock on a ReaderWriterLockSlim in a field that is not readonly is wrong for this reason before the other.
        if (SyncObjectMonitor.Describe(target, symbols) is { } ownMethods)
        {
            return ownMethods;
        }

        IOperation value = target.WithoutConversions();
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

        if (value is IFieldReferenceOperation { Field: { IsReadOnly: false, IsConst: false } field } reference && LockId.IsOwnMember(reference.Instance))
        {
            return $"Lock field '{field.Name}' is not readonly: once it is reassigned, two threads can hold 'the' lock at the same time";
        }

        return null;
    }
}
