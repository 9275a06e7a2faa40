using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The accesses no race rule looks at, whatever the locks: the near misses that make a thread-safety analyzer
/// worth listening to. <c>const</c> fields, <c>[ThreadStatic]</c> statics, <c>[BenignRace]</c> fields and fields used
/// as locks are skipped entirely; reads of <c>readonly</c> fields, and uses of thread-safe objects (Concurrent*,
/// <c>ThreadLocal</c>, <c>Lock</c>, a strategy), are skipped, but a store into the field itself is not.
/// </summary>
internal static class FieldPolicy
{
    public static bool IsExempt(FieldAccess access, ConcurrencySymbols symbols, StrategyFacts facts)
    {
        ISymbol member = access.Member;
        if (ConcurrencySymbols.HasAttribute(member, symbols.Known.BenignRace) || facts.IsLockField(member))
        {
            return true;
        }

        if (member is not IFieldSymbol field)
        {
            return false;
        }

        if (field.IsConst || (field.IsStatic && ConcurrencySymbols.HasAttribute(field, symbols.ThreadStaticAttribute)))
        {
            return true;
        }

        bool usesContents = access.Kind is AccessKind.Read or AccessKind.VolatileRead || access.ThroughElement;
        if (usesContents && symbols.IsThreadSafeType(field.Type))
        {
            return true;
        }

        // A readonly field's value never changes after construction; only what it points to can, and for a
        // collection what it points to is what every use reads.
        return field.IsReadOnly
            && access.Kind == AccessKind.Read
            && !access.MutatesCollection
            && symbols.GetUnsafeCollection(field.Type) is null;
    }
}
