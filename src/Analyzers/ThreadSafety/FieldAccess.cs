using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Analyzers;

/// <summary>One reference to a field (or auto-property, or <c>[GuardedBy]</c> property), with the locks held around it in its method.</summary>
internal sealed class FieldAccess
{
    public FieldAccess(
        ISymbol member,
        AccessKind kind,
        bool throughElement,
        bool mutatesCollection,
        Location location,
        Location referenceLocation,
        int position,
        ImmutableHashSet<LockId> localLocks,
        Origin receiver,
        bool isLockOperand,
        bool handsOver = false)
    {
        HandsOver = handsOver;
        Receiver = receiver;
        IsLockOperand = isLockOperand;
        Member = member;
        Kind = kind;
        ThroughElement = throughElement;
        MutatesCollection = mutatesCollection;
        Location = location;
        ReferenceLocation = referenceLocation;
        Position = position;
        LocalLocks = localLocks;
    }

    /// <summary>Where the object holding the field comes from (<see cref="Origin.Global"/> for a static field).</summary>
    public Origin Receiver { get; }

    /// <summary>The reference is the operand of <c>lock</c> or <c>Monitor</c>: taking the lock, not using the object.</summary>
    public bool IsLockOperand { get; }

    /// <summary>
    /// The access is an <c>Interlocked.Exchange</c> whose old object a local of the caller owns from there on
    /// (<see cref="ExchangedOutField"/>): atomic as a store, but a change of the field for the rules that ask who else
    /// may still be using its object.
    /// </summary>
    public bool HandsOver { get; }

    /// <summary>The field (as declared, for a generic type), an auto-property, or a property carrying <c>[GuardedBy]</c>.</summary>
    public ISymbol Member { get; }

    public AccessKind Kind { get; }

    /// <summary>The access is to an element of the array the field holds (<c>_slots[i] = x</c>), not to the field.</summary>
    public bool ThroughElement { get; }

    /// <summary>The access calls a mutating member of a collection (<c>_list.Add(x)</c>, <c>_map[k] = v</c>).</summary>
    public bool MutatesCollection { get; }

    /// <summary>The whole operation: <c>_count++</c>, <c>_x = 1</c>, <c>ref _x</c>; the reference itself for a read.</summary>
    public Location Location { get; }

    /// <summary>The field reference alone (<c>_count</c>).</summary>
    public Location ReferenceLocation { get; }

    /// <summary>Source position, to order accesses within one method.</summary>
    public int Position { get; }

    /// <summary>Locks taken in the same method around this access (callers' locks are added by the call graph).</summary>
    public ImmutableHashSet<LockId> LocalLocks { get; }

    /// <summary>The type of what <paramref name="member"/> holds: a field's, a property's, a captured parameter's or local's.</summary>
    public static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        IParameterSymbol parameter => parameter.Type,
        ILocalSymbol local => local.Type,
        _ => null,
    };

    public bool IsWrite => Kind is AccessKind.Write or AccessKind.ReadModifyWrite or AccessKind.AtomicUpdate or AccessKind.VolatileWrite || MutatesCollection;
}
