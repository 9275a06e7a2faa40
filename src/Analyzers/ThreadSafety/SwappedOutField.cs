using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The swap-then-drain idiom: <c>lock (_gate) { batch = _pending; _pending = new(); }</c>, then
/// <c>foreach (var x in batch)</c> or <c>batch.Clear()</c> outside the lock. Once the field holds a new object, no
/// other thread can reach the old one through it, so the local owns it: its uses are no longer uses of the field.
/// Recognised only in its narrow, sound shape, over the statements of one block: the local is given the field
/// (<c>batch = _pending;</c>, a whole statement) holding a lock, no statement after that mentions the local until,
/// holding the same lock all along, a whole statement stores a new object (or <c>null</c>, <c>default</c>) into the
/// same field of the same object, and that new object is not made from the local. The old object's items go with
/// it: a collection handed over under a lock hands its items to the one thread that took it.
/// </summary>
internal sealed class SwappedOutField
{
    private readonly List<Read> _reads = new();

    /// <summary>A local given a field's value holding <see cref="Locks"/>, not mentioned since.</summary>
    private readonly struct Read
    {
        public Read(ILocalSymbol local, IFieldSymbol field, ImmutableHashSet<LockId> locks)
        {
            Local = local;
            Field = field;
            Locks = locks;
        }

        public ILocalSymbol Local { get; }

        public IFieldSymbol Field { get; }

        /// <summary>The locks held from the read on: a swap must hold one of them.</summary>
        public ImmutableHashSet<LockId> Locks { get; }
    }

    /// <summary>
    /// Takes the next statement of the block, run holding <paramref name="locks"/>, and returns the locals that own
    /// their object from this statement on (the statement swapped their field for a new object).
    /// </summary>
    public IReadOnlyList<ILocalSymbol> Step(IOperation statement, ImmutableHashSet<LockId> locks)
    {
        locks = KeepingWritersOut(locks);
        List<ILocalSymbol>? owned = null;
        IOperation? fresh = null;
        IFieldSymbol? swapped = locks.IsEmpty ? null : FreshStore(statement, out fresh);
        for (int i = _reads.Count - 1; i >= 0; i--)
        {
            Read read = _reads[i];
            if (swapped is not null
                && SymbolEqualityComparer.Default.Equals(read.Field, swapped)
                && read.Locks.Overlaps(locks)
                && !IsMadeFrom(fresh!, read.Local))
            {
                (owned ??= new List<ILocalSymbol>()).Add(read.Local);
                _reads.RemoveAt(i);
            }
            else if (Mentions(statement, read.Local))
            {
                _reads.RemoveAt(i); // used, stored or given another value: it may no longer be the only way to the object
            }
        }

        if (!locks.IsEmpty && FieldReadInto(statement) is var (local, field))
        {
            _reads.Add(new Read(local, field, locks));
        }

        return owned ?? (IReadOnlyList<ILocalSymbol>)System.Array.Empty<ILocalSymbol>();
    }

    /// <summary>Some locks were released: a swap must hold a lock that was held at the read and ever since.</summary>
    public void KeepHeld(ImmutableHashSet<LockId> locks)
    {
        locks = KeepingWritersOut(locks);
        for (int i = _reads.Count - 1; i >= 0; i--)
        {
            ImmutableHashSet<LockId> still = _reads[i].Locks.Intersect(locks);
            if (still.IsEmpty)
            {
                _reads.RemoveAt(i);
            }
            else
            {
                _reads[i] = new Read(_reads[i].Local, _reads[i].Field, still);
            }
        }
    }

    /// <summary>
    /// The locks that keep another swapper out: a read lock does not (two readers could copy the same object and each
    /// take it for its own), so a swap made holding only one gives the local nothing.
    /// </summary>
    private static ImmutableHashSet<LockId> KeepingWritersOut(ImmutableHashSet<LockId> locks) =>
        locks.Any(l => l.Mode == LockMode.Shared) ? locks.Where(l => l.Mode != LockMode.Shared).ToImmutableHashSet() : locks;

    /// <summary><c>batch = _pending;</c> or <c>var batch = _pending;</c>: the local and this object's field.</summary>
    private static (ILocalSymbol Local, IFieldSymbol Field)? FieldReadInto(IOperation statement)
    {
        ILocalSymbol? local = null;
        IOperation? value = null;
        switch (statement)
        {
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { IsRef: false, Target: ILocalReferenceOperation target } assignment }:
                local = target.Local;
                value = assignment.Value;
                break;
            case IVariableDeclarationGroupOperation { Declarations: { Length: 1 } declarations }
                when declarations[0].Declarators.Length == 1:
                local = declarations[0].Declarators[0].Symbol;
                value = declarations[0].Declarators[0].Initializer?.Value ?? declarations[0].Initializer?.Value;
                break;
        }

        return local is { IsRef: false } && OwnInstanceField(value) is { } field ? (local, field) : null;
    }

    /// <summary><c>_pending = new();</c>, <c>= []</c>, <c>= null</c>: the field of this object given a new object.</summary>
    private static IFieldSymbol? FreshStore(IOperation statement, out IOperation? fresh)
    {
        fresh = null;
        if (statement is not IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { IsRef: false } assignment }
            || OwnInstanceField(assignment.Target) is not { } field)
        {
            return null;
        }

        IOperation value = assignment.Value.WithoutConversions();
        bool isNew = value is IObjectCreationOperation or IArrayCreationOperation or IDefaultValueOperation
            || value is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } }
            || value.Syntax is CollectionExpressionSyntax { Elements.Count: 0 }; // [..batch] would be seen by no operation here
        fresh = value;
        return isNew ? field : null;
    }

    /// <summary>An instance field of the object the code runs on: the one object a lock of that object guards.</summary>
    private static IFieldSymbol? OwnInstanceField(IOperation? operation) =>
        operation?.WithoutConversions() is IFieldReferenceOperation { Field: { IsStatic: false } field } reference
        && reference.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
            ? field
            : null;

    /// <summary>
    /// Whether the new object may hold the old one: the local appears in it other than as the receiver of a member
    /// it reads (<c>new(batch.Count)</c> is fine, <c>new Holder(batch)</c> is not).
    /// </summary>
    private static bool IsMadeFrom(IOperation fresh, ILocalSymbol local)
    {
        foreach (IOperation operation in fresh.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && !(reference.Parent is IPropertyReferenceOperation { Property.IsIndexer: false } or IFieldReferenceOperation
                    && reference.Parent.Type?.IsValueType == true))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Mentions(IOperation statement, ILocalSymbol local)
    {
        foreach (IOperation operation in statement.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }
}
