using Microsoft.CodeAnalysis;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The accesses no race rule looks at, whatever the locks: the near misses that make a thread-safety analyzer
/// worth listening to. <c>const</c> fields, <c>[ThreadStatic]</c> statics, <c>[BenignRace]</c> fields and the operand
/// of <c>lock</c>/<c>Monitor</c> are skipped entirely (a field used as a lock is otherwise an ordinary field:
/// <c>_pool.Push(x)</c> outside <c>lock (_pool)</c> is reported); reads of <c>readonly</c> fields and get-only
/// auto-properties, and uses of thread-safe objects (Concurrent*, <c>ThreadLocal</c>, <c>Lock</c>, a strategy), are
/// skipped, but a store into the field itself is not.
/// </summary>
internal static class FieldPolicy
{
    public static bool IsExempt(FieldAccess access, ConcurrencySymbols symbols, StrategyFacts facts)
    {
        ISymbol member = access.Member;
        if (access.IsLockOperand || KnownSymbols.HasAttribute(member, symbols.Known.BenignRace))
        {
            return true;
        }

        if (facts.IsLockField(member) && !access.ThroughElement && access.Kind is AccessKind.Write or AccessKind.ReadModifyWrite)
        {
            return true; // reassigning a lock is MEM2006's finding, not a race on a value
        }

        if (member is IPropertySymbol property)
        {
            // An auto-property is a field; get-only ones are readonly.
            bool readOnly = property.SetMethod is null || property.SetMethod.IsInitOnly;
            return readOnly && access.Kind == AccessKind.Read && !access.MutatesCollection && symbols.GetUnsafeCollection(property.Type) is null
                || ((access.Kind is AccessKind.Read || access.ThroughElement) && symbols.IsThreadSafeType(property.Type));
        }

        if (member is not IFieldSymbol field)
        {
            return false;
        }

        if (field.IsConst || (field.IsStatic && KnownSymbols.HasAttribute(field, symbols.ThreadStaticAttribute)))
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
