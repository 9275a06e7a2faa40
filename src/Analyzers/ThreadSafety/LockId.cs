using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Which lock a <c>lock</c> statement (or <c>Monitor.Enter</c>, <c>Lock.EnterScope</c>, <c>SpinLock.Enter</c>) takes.
/// Two ids are equal when they name the same field or property (on whatever object: the analysis is about fields,
/// not instances), the same local or parameter (a local that only ever holds a readonly lock field is that field,
/// see <see cref="LockAlias"/>), <c>this</c> of the same type, or the same <c>typeof</c>. Any other
/// expression gets an id equal to nothing but itself: it still counts as "some lock is held", which is all most
/// rules need. A <c>ReaderWriterLockSlim</c> held in one mode is a different id from the same lock held in another
/// (<see cref="LockMode"/>): <see cref="LockSets"/> says which of them exclude each other. The monitor of a
/// synchronisation object (<c>lock (_rw)</c>, <see cref="SyncObjectMonitor"/>) is yet another id: it excludes neither
/// the object's own locks nor is excluded by them.
/// </summary>
internal sealed class LockId : IEquatable<LockId>
{
    private const string ThisName = "this";

    private readonly ISymbol? _symbol;
    private readonly ITypeSymbol? _thisType;

    /// <summary>Whether this is the monitor of a synchronisation object rather than the object's own lock.</summary>
    private readonly bool _monitor;

    private LockId(ISymbol? symbol, ITypeSymbol? thisType, string name, Origin holder = default, LockMode mode = LockMode.Exclusive, bool monitor = false)
    {
        _symbol = symbol;
        _thisType = thisType;
        _monitor = monitor;
        Name = name;
        Holder = holder;
        Mode = mode;
    }

    /// <summary>How the lock reads in a message: the member's name, <c>this</c>, or the expression.</summary>
    public string Name { get; }

    /// <summary>
    /// Where the locked object comes from, relative to the code that takes the lock (not part of the identity):
    /// a lock reached from a static excludes every thread, one reached from <c>this</c> only the users of that
    /// instance. <see cref="Origin.Confined"/> when not known.
    /// </summary>
    public Origin Holder { get; }

    /// <summary>How the lock is held: <see cref="LockMode.Exclusive"/> but for a reader-writer lock's read and upgradeable read locks.</summary>
    public LockMode Mode { get; }

    /// <summary>The same lock held exclusively (a reader-writer lock's write lock): what a rule names and counts.</summary>
    public LockId Base => Mode == LockMode.Exclusive ? this : WithMode(LockMode.Exclusive);

    /// <summary>This lock, known to be taken on an object that comes from <paramref name="holder"/>.</summary>
    public LockId HeldOn(Origin holder) => new(_symbol, _thisType, Name, holder, Mode, _monitor);

    /// <summary>This lock, held in <paramref name="mode"/>.</summary>
    public LockId WithMode(LockMode mode) => mode == Mode ? this : new(_symbol, _thisType, Name, Holder, mode, _monitor);

    /// <summary>
    /// The monitor of the synchronisation object this lock names (<c>lock (_rw)</c>): a lock apart from the object's
    /// own, named "lock (_rw)" so a message tells the two apart.
    /// </summary>
    public LockId OnMonitor() => _monitor ? this : new(_symbol, _thisType, "lock (" + Name + ")", Holder, LockMode.Exclusive, monitor: true);

    /// <summary>The field or property holding the lock, when it is one.</summary>
    public ISymbol? Member => _symbol is IFieldSymbol or IPropertySymbol ? _symbol : null;

    /// <summary>The lock on <c>this</c> inside a member of <paramref name="type"/>.</summary>
    public static LockId ThisOf(ITypeSymbol type) => new(null, type.OriginalDefinition, ThisName);

    public static LockId ForMember(ISymbol member)
    {
        // lock (Gate) where Gate => _gate is lock (_gate), and says so in messages.
        if (member is IPropertySymbol property && LockProperty.FieldOf(property) is { } field)
        {
            member = field;
        }

        return new(member.OriginalDefinition, null, member.Name);
    }

    /// <summary>The lock taken on the value of <paramref name="target"/>.</summary>
    public static LockId From(IOperation target)
    {
        IOperation operation = target.WithoutConversions();
        return operation switch
        {
            IInstanceReferenceOperation { Type: { } type } => ThisOf(type),
            IFieldReferenceOperation field => ForMember(field.Field),
            IPropertyReferenceOperation property => ForMember(property.Property),
            ILocalReferenceOperation local => LockAlias.FieldOf(local) is { } field ? ForMember(field) : new LockId(local.Local, null, local.Local.Name),
            IParameterReferenceOperation parameter => new LockId(parameter.Parameter, null, parameter.Parameter.Name),
            ITypeOfOperation typeOf => new LockId(typeOf.TypeOperand, null, "typeof(" + typeOf.TypeOperand.Name + ")"),
            _ => new LockId(null, null, operation.Syntax.ToString()),
        };
    }

    /// <summary>Whether a member reference goes through <c>this</c> (written or implied) or is static.</summary>
    public static bool IsOwnMember(IOperation? instance) =>
        instance is null || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    public bool Equals(LockId? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Mode != other.Mode || _monitor != other._monitor)
        {
            return false;
        }

        if (_thisType is not null || other._thisType is not null)
        {
            return SymbolEqualityComparer.Default.Equals(_thisType, other._thisType);
        }

        return _symbol is not null && SymbolEqualityComparer.Default.Equals(_symbol, other._symbol);
    }

    public override bool Equals(object? obj) => Equals(obj as LockId);

    public override int GetHashCode() =>
        (_thisType is not null ? SymbolEqualityComparer.Default.GetHashCode(_thisType)
        : _symbol is not null ? SymbolEqualityComparer.Default.GetHashCode(_symbol)
        : Name.GetHashCode()) * 6 + (int)Mode * 2 + (_monitor ? 1 : 0);
}
