using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Which lock a <c>lock</c> statement (or <c>Monitor.Enter</c>, <c>Lock.EnterScope</c>, <c>SpinLock.Enter</c>) takes.
/// Two ids are equal when they name the same field, property, local or parameter, both name <c>this</c>, or both
/// name the same <c>typeof</c>. Any other expression gets an id equal to nothing but itself: it still counts as
/// "some lock is held", which is all most rules need.
/// </summary>
internal sealed class LockId : IEquatable<LockId>
{
    private const string ThisName = "this";

    private readonly ISymbol? _symbol;
    private readonly bool _isThis;

    private LockId(ISymbol? symbol, bool isThis, string name)
    {
        _symbol = symbol;
        _isThis = isThis;
        Name = name;
    }

    /// <summary>How the lock reads in a message: the member's name, <c>this</c>, or the expression.</summary>
    public string Name { get; }

    /// <summary>The field or property holding the lock, when it is one.</summary>
    public ISymbol? Member => _symbol is IFieldSymbol or IPropertySymbol ? _symbol : null;

    public static LockId This { get; } = new(null, isThis: true, ThisName);

    public static LockId ForMember(ISymbol member) => new(member, isThis: false, member.Name);

    /// <summary>The lock taken on the value of <paramref name="target"/>.</summary>
    public static LockId From(IOperation target)
    {
        IOperation operation = target.WithoutConversions();
        return operation switch
        {
            IInstanceReferenceOperation => This,
            IFieldReferenceOperation field when IsOwnMember(field.Instance) => new LockId(field.Field, isThis: false, field.Field.Name),
            IPropertyReferenceOperation property when IsOwnMember(property.Instance) => new LockId(property.Property, isThis: false, property.Property.Name),
            ILocalReferenceOperation local => new LockId(local.Local, isThis: false, local.Local.Name),
            IParameterReferenceOperation parameter => new LockId(parameter.Parameter, isThis: false, parameter.Parameter.Name),
            ITypeOfOperation typeOf => new LockId(typeOf.TypeOperand, isThis: false, "typeof(" + typeOf.TypeOperand.Name + ")"),
            _ => new LockId(null, isThis: false, operation.Syntax.ToString()),
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

        if (ReferenceEquals(this, other) || (_isThis && other._isThis))
        {
            return true;
        }

        return _symbol is not null && SymbolEqualityComparer.Default.Equals(_symbol, other._symbol);
    }

    public override bool Equals(object? obj) => Equals(obj as LockId);

    public override int GetHashCode() =>
        _isThis ? 1 : _symbol is not null ? SymbolEqualityComparer.Default.GetHashCode(_symbol) : Name.GetHashCode();
}
